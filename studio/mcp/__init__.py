"""Studio as MCP tools for AI assistants and agents (`studio mcp`): stdio for one user, streamable HTTP with tokens."""
