"""Experiments: approved variants of one kit and channel tested against each other, their results, the winner.

The CLI (studio.experiments.command) and the app (studio.app.experiments_page) call this one service. Roles:
creating an experiment and importing its results take the `generate` permission (creator, admin: the
marketers who run campaigns); exporting the upload file takes `export` (reviewer, admin), as exporting
variants does; closing it, which names the winner and changes what Studio writes next, takes `decide`
(reviewer, admin). Create, export, import and close are audit events in the review queue's chain.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from studio.experiments.analysis import ArmFigures, analyse
from studio.experiments.exports import write_export
from studio.experiments.imports import read_results
from studio.experiments.learning import add_winner_to_voice, record_outcomes
from studio.experiments.models import Experiment, ExperimentArm, ExperimentImport
from studio.review.audit import append_event
from studio.review.queue import QueueError, ReviewQueue

METRICS = {"ctr": ("impressions", "clicks"), "cvr": ("clicks", "conversions")}
PERMISSION = {"create": "generate", "import": "generate", "export": "export", "close": "decide"}
TESTABLE = ("approved", "exported")
MAX_VARIANTS = 10


class ExperimentError(QueueError):
    """A request the experiments service refuses; the message is one line for the user."""


class ExperimentService:
    def __init__(self, queue: ReviewQueue | None = None):
        self.queue = queue or ReviewQueue()

    def _allowed(self, by: str, action: str) -> None:
        self.queue.user(by).require(PERMISSION[action])

    @staticmethod
    def _experiment(session: Session, experiment_id: str) -> Experiment:
        experiment = session.get(Experiment, experiment_id)
        if experiment is None:
            raise ExperimentError(f"no experiment '{experiment_id}'")
        return experiment

    @staticmethod
    def _arms(session: Session, experiment_id: str) -> list[ExperimentArm]:
        return list(session.execute(select(ExperimentArm).where(ExperimentArm.experiment_id == experiment_id)
                                    .order_by(ExperimentArm.position)).scalars())

    # ------------------------------------------------------------------ create

    def create(self, *, name: str, variant_ids: list[str], by: str, metric: str = "ctr", hypothesis: str | None = None,
               mde: float = 0.2) -> str:
        self._allowed(by, "create")
        if not name.strip():
            raise ExperimentError("--name: an experiment needs a name")
        if metric not in METRICS:
            raise ExperimentError(f"--metric: unknown metric '{metric}' (use ctr or cvr)")
        if not 0.01 <= mde <= 5:
            raise ExperimentError(f"--mde: the minimum detectable effect is a relative lift between 0.01 and 5, not {mde}")
        ids = list(variant_ids)
        if len(set(ids)) != len(ids):
            raise ExperimentError("--variant: a variant is named twice")
        if not 2 <= len(ids) <= MAX_VARIANTS:
            raise ExperimentError(f"--variant: an experiment tests 2-{MAX_VARIANTS} variants, not {len(ids)}")
        variants = [self.queue.show(v) for v in ids]
        for v in variants:
            if v["status"] not in TESTABLE:
                raise ExperimentError(f"--variant: '{v['id']}' is {v['status']}; only approved variants are tested")
        for key in ("kit", "channel"):
            values = {v[key] for v in variants}
            if len(values) > 1:
                raise ExperimentError(f"--variant: all variants need the same {key} (found {', '.join(sorted(values))})")
        experiment_id = f"exp_{uuid.uuid4().hex[:12]}"

        def work(session: Session) -> str:
            session.add(Experiment(id=experiment_id, name=name.strip(), kit=variants[0]["kit"],
                                   channel=variants[0]["channel"], metric=metric, hypothesis=hypothesis, mde=mde,
                                   status="running", created_by=by))
            session.flush()
            for position, v in enumerate(variants):
                session.add(ExperimentArm(experiment_id=experiment_id, variant_id=v["id"], position=position,
                                          version=v["version"], segment=v["segment"],
                                          modules=list((v.get("provenance") or {}).get("modules") or []),
                                          impressions=0, clicks=0, conversions=0, spend=0.0))
            append_event(session, actor=by, action="experiment_created",
                         detail={"experiment_id": experiment_id, "name": name, "metric": metric, "mde": mde,
                                 "variants": [{"id": v["id"], "version": v["version"]} for v in variants]})
            return experiment_id

        return self.queue._tx(work)

    # ------------------------------------------------------------------ read

    def list(self) -> list[dict]:
        from studio.review.db import session_scope

        with session_scope(self.queue.url) as session:
            rows = session.execute(select(Experiment).order_by(Experiment.created_at, Experiment.id)).scalars()
            return [{"id": e.id, "name": e.name, "status": e.status, "metric": e.metric, "kit": e.kit,
                     "channel": e.channel, "winner": e.winner, "variants": len(self._arms(session, e.id)),
                     "created_by": e.created_by, "created_at": e.created_at.isoformat()} for e in rows]

    def show(self, experiment_id: str) -> dict:
        """The contract of `studio experiment show --json`, plus name, kit, channel and the decision."""
        from studio.review.db import session_scope

        with session_scope(self.queue.url) as session:
            return self._show(session, experiment_id)

    def _show(self, session: Session, experiment_id: str) -> dict:
        experiment = self._experiment(session, experiment_id)
        arms = self._arms(session, experiment_id)
        trials_field, success_field = METRICS[experiment.metric]
        result = analyse([ArmFigures(a.variant_id, getattr(a, trials_field), getattr(a, success_field)) for a in arms],
                         mde=experiment.mde)
        stats = {r["id"]: r for r in result["variants"]}
        winner = experiment.winner if experiment.status == "closed" else result["winner"]
        return {
            "id": experiment.id, "status": experiment.status, "metric": experiment.metric, "winner": winner,
            "variants": [{"id": a.variant_id, "impressions": a.impressions, "clicks": a.clicks,
                          "conversions": a.conversions, **{k: v for k, v in stats[a.variant_id].items() if k != "id"}}
                         for a in arms],
            "name": experiment.name, "kit": experiment.kit, "channel": experiment.channel, "mde": experiment.mde,
            "hypothesis": experiment.hypothesis, "enough_data": result["enough_data"],
            "required_per_variant": result["required_per_variant"], "decision": result["decision"],
        }

    # ------------------------------------------------------------------ export / import

    def export(self, experiment_id: str, *, fmt: str, out_dir: Path, by: str, final_url: str = "") -> list[str]:
        self._allowed(by, "export")
        from studio.review.db import session_scope

        with session_scope(self.queue.url) as session:
            experiment = self._experiment(session, experiment_id)
            arms = self._arms(session, experiment_id)
            header = {"id": experiment.id, "name": experiment.name}
        variants = []
        for arm in arms:
            v = self.queue.show(arm.variant_id)
            if v["version"] != arm.version:
                raise ExperimentError(f"variant '{v['id']}' is at version {v['version']}, the experiment tests "
                                      f"version {arm.version}")
            variants.append({**v, "disclosures": (v.get("labels") or {}).get("copy_disclosures", [])})
        written = write_export(header, variants, fmt, out_dir, final_url)
        import hashlib

        digests = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in written}

        def work(session: Session) -> None:
            append_event(session, actor=by, action="experiment_exported",
                         detail={"experiment_id": experiment_id, "format": fmt, "files": digests})

        self.queue._tx(work)
        return [str(p) for p in written]

    def import_results(self, experiment_id: str, path: Path, *, by: str) -> dict:
        """Take each variant's figures from a report file (the newest report of a variant replaces its older
        figures: reports are totals to date). A file imported before is refused."""
        self._allowed(by, "import")
        from studio.review.db import session_scope

        with session_scope(self.queue.url) as session:
            experiment = self._experiment(session, experiment_id)
            if experiment.status != "running":
                raise ExperimentError(f"experiment '{experiment_id}' is {experiment.status}; results go into a running one")
            ids = {a.variant_id for a in self._arms(session, experiment_id)}
        results = read_results(Path(path), ids)

        def work(session: Session) -> dict:
            experiment = self._experiment(session, experiment_id)
            if experiment.status != "running":
                raise ExperimentError(f"experiment '{experiment_id}' is {experiment.status}")
            earlier = session.execute(select(ExperimentImport).where(
                ExperimentImport.experiment_id == experiment_id, ExperimentImport.sha256 == results.sha256)).scalar()
            if earlier is not None:
                raise ExperimentError(f"{path}: this file was imported already ({earlier.imported_at:%Y-%m-%d %H:%M} "
                                      f"by {earlier.imported_by})")
            record = ExperimentImport(experiment_id=experiment_id, file_name=Path(path).name, sha256=results.sha256,
                                      format=results.format, rows=[r.to_json() for r in results.rows], imported_by=by)
            session.add(record)
            session.flush()
            arms = {a.variant_id: a for a in self._arms(session, experiment_id)}
            for row in results.rows:
                arm = arms[row.variant_id]
                arm.impressions, arm.clicks, arm.conversions, arm.spend = (row.impressions, row.clicks,
                                                                           row.conversions, row.spend)
                arm.import_id = record.id
            append_event(session, actor=by, action="experiment_imported",
                         detail={"experiment_id": experiment_id, "file": Path(path).name, "sha256": results.sha256,
                                 "format": results.format, "rows": len(results.rows)})
            return {"experiment_id": experiment_id, "file": str(path), "sha256": results.sha256,
                    "format": results.format, "rows": len(results.rows)}

        return self.queue._tx(work)

    # ------------------------------------------------------------------ close

    def close(self, experiment_id: str, *, by: str) -> dict:
        """Close the test. The winner is the one the decision rule names (none when it names none); a winner's
        modules gain weight for its segment and channel and its copy joins the kit's voice examples."""
        self._allowed(by, "close")

        def work(session: Session) -> dict:
            experiment = self._experiment(session, experiment_id)
            if experiment.status != "running":
                raise ExperimentError(f"experiment '{experiment_id}' is {experiment.status} already")
            shown = self._show(session, experiment_id)
            experiment.status, experiment.winner = "closed", shown["winner"]
            experiment.closed_by, experiment.closed_at = by, datetime.now(UTC)
            learned = None
            if shown["winner"]:
                arms = self._arms(session, experiment_id)
                won = next(a for a in arms if a.variant_id == shown["winner"])
                learned = record_outcomes(
                    session, experiment.kit, experiment.channel, {"segment": won.segment, "modules": won.modules},
                    [{"segment": a.segment, "modules": a.modules} for a in arms if a is not won])
            append_event(session, actor=by, action="experiment_closed",
                         detail={"experiment_id": experiment_id, "winner": shown["winner"],
                                 "decision": shown["decision"], "modules": learned,
                                 "figures": [{k: v[k] for k in ("id", "impressions", "clicks", "conversions")}
                                             for v in shown["variants"]]})
            return {**shown, "status": "closed"}

        shown = self.queue._tx(work)
        if shown["winner"]:
            from studio.kits import cached_kit
            from studio.config import get_settings

            variant = self.queue.show(shown["winner"])
            language = cached_kit(variant["kit"], get_settings().kits_dir).kit.language
            shown["voice_example"] = add_winner_to_voice(shown, variant, language)
        return shown
