"""Pure revision graph: revisions, the graph, target resolution and plans. No I/O here."""
