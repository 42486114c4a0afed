"""A linked-data knowledge graph of Krupskaya's "The October Days"."""

__version__ = "1.0.0"
