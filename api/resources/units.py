"""An administrator's commands on the units (``domain.units.commands``): a unit added, renamed or
deactivated; a reorganisation, a merger, a split or a succession, with every open directive and
petition of the units it ends handed to their heir; answered with the units they touched as the
registry now holds them (docs/units.md)."""

from __future__ import annotations

import falcon

from api.commands import command_of, request_model
from api.documents import unit_document
from api.http import json
from api.idempotency import Found
from api.writes import Commands
from domain.application import Thucthi
from domain.units.commands import (
    AddUnit,
    DeactivateUnit,
    MergeUnits,
    RenameUnit,
    SplitUnit,
    SucceedUnit,
    UnitChange,
    UnitCommand,
)
from domain.units.registry import UnitRegistry


class Reorganisation:
    """``POST /api/units/mergers``, ``/splits`` and ``/successions``."""

    def __init__(
        self, app: Thucthi, commands: Commands, command: type[MergeUnits | SplitUnit | SucceedUnit]
    ) -> None:
        self.app, self.commands, self.command = app, commands, command
        self.model = request_model(command)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body, raw = self.commands.body(req, self.model)
        command: UnitChange = command_of(self.command, body)

        def answer(position: int) -> None:
            registry = self.app.unit_registry()
            ended = [registry.get(code) for code in command.ending()]
            heirs = {u.heir for u in ended if u.heir is not None}
            json(
                resp,
                {
                    "position": position,
                    "ended": [unit_document(u) for u in ended],
                    "successors": [unit_document(registry.get(c)) for c in sorted(heirs)],
                },
                201,
            )

        def produce() -> None:
            actor, request_id = req.context.actor, req.context.request_id
            position = self.app.reorganise(command, actor=actor, request_id=request_id)
            self.commands.caught_up(position, request_id)
            answer(position)

        def recover(found: Found) -> None:
            answer(found.position)

        self.commands.once(req, resp, raw, produce, recover, kind=UnitRegistry.Event)


class UnitCommandResource:
    """``POST /api/units/additions``, ``/renamings`` and ``/deactivations``: a unit added,
    renamed or deactivated, answered with the unit as the registry now holds it."""

    def __init__(
        self,
        app: Thucthi,
        commands: Commands,
        command: type[AddUnit | RenameUnit | DeactivateUnit],
    ) -> None:
        self.app, self.commands, self.command = app, commands, command
        self.model = request_model(command)
        self.status = 201 if command is AddUnit else 200

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body, raw = self.commands.body(req, self.model)
        command: UnitCommand = command_of(self.command, body)

        def answer(position: int) -> None:
            unit = self.app.unit_registry().get(command.code)
            json(resp, {"position": position, **unit_document(unit)}, self.status)

        def produce() -> None:
            actor, request_id = req.context.actor, req.context.request_id
            position = self.app.administer_units(command, actor=actor, request_id=request_id)
            self.commands.caught_up(position, request_id)
            answer(position)

        def recover(found: Found) -> None:
            answer(found.position)

        self.commands.once(req, resp, raw, produce, recover, kind=UnitRegistry.Event)
