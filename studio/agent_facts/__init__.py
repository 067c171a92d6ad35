"""Product facts for AI assistants (channel `agent_facts`): schema.org JSON-LD and an llms.txt section."""

from studio.agent_facts.facts import write_agent_facts

__all__ = ["write_agent_facts"]
