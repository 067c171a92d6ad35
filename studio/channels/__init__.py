"""The channel registry, loaded from channels.yaml (data, not code)."""

from studio.channels.registry import all_channels, get_channel, message_length, sms_units

__all__ = ["all_channels", "get_channel", "message_length", "sms_units"]
