"""View models of the pages: what a page shows, read from the store; no HTTP and no templates.

- :mod:`.refs`: a linked resource as a page shows it;
- :mod:`.reader`: an index over a resource's description, turned into property rows;
- :mod:`.summary`: the lines a reader wants first, by kind of resource;
- :mod:`.resource`: the page of one resource;
- :mod:`.source`: the source text by paragraph, with what each supports;
- :mod:`.listing`: the members of a kind, a page at a time.
"""
