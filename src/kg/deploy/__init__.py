"""Publishing the graph on other SPARQL engines."""
