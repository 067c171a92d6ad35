"""The LangGraph workflow: retrieve -> write -> check -> (revise -> write)* -> image -> label -> queue
-> await review (interrupt) -> [request changes -> retrieve ...].

One thread per variant (thread_id = variant id), checkpointed in SQLite, so a killed run resumes at
the last finished node and a reviewer's "request changes" resumes the same thread.
The image is rendered after the checks settle, so its headline matches the copy that is queued.
To add a stage (e.g. translation), add a node and an edge here; the other nodes do not change.
"""

from __future__ import annotations

import sqlite3
import threading
from functools import cache
from pathlib import Path

from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.graph import END, START, StateGraph

from studio.workflow import nodes
from studio.workflow.state import VariantState

STAGES = ("retrieve", "write", "check", "revise", "image", "label", "queue", "await_review")


def build_graph(checkpointer):
    graph = StateGraph(VariantState)
    for name in STAGES:
        graph.add_node(name, getattr(nodes, name))
    graph.add_edge(START, "retrieve")
    graph.add_edge("retrieve", "write")
    graph.add_edge("write", "check")
    graph.add_conditional_edges("check", nodes.after_check, {"revise": "revise", "image": "image"})
    graph.add_edge("revise", "write")
    graph.add_edge("image", "label")
    graph.add_edge("label", "queue")
    graph.add_edge("queue", "await_review")
    graph.add_conditional_edges("await_review", nodes.after_review, {"retrieve": "retrieve", "__end__": END})
    return graph.compile(checkpointer=checkpointer)


_lock = threading.Lock()


@cache
def _graph_for(path: str):
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, check_same_thread=False, timeout=30)
    connection.execute("PRAGMA journal_mode=WAL")
    # No fsync per commit (a node's checkpoint is ~2 commits, each fsync 3-4 ms, taken under the saver's one
    # lock, so a batch's threads queued on the disk). WAL + NORMAL survives a killed process; a power loss
    # may roll back the last checkpoints, and their nodes run again on resume, as after a kill between the
    # queue's commit and the checkpoint's (the queue node is idempotent per version).
    connection.execute("PRAGMA synchronous=NORMAL")
    return build_graph(SqliteSaver(connection))


def get_graph(data_dir: Path):
    with _lock:
        return _graph_for(str((data_dir / "checkpoints.db").resolve()))
