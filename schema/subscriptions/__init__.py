"""The root subscription (issue 14): the journal's changes, live, over WebSocket."""
