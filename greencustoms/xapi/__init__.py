"""Learning records as xAPI 1.0.3 statements, kept in a durable outbox and sent to an LRS (docs/xapi.md).

The factory connects the receivers (greencustoms.xapi.receivers), registers the sender task and `flask xapi`.
"""
