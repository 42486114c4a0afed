"""Building the graph: read the curated files, run the generators, validate.

Nothing here touches the store or the web; :func:`kg.graph.pipeline.build_dataset` returns
the quads of every named graph, ready to load.
"""
