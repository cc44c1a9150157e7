//! Tests of the application domain: intake, the state machine, the clock.

mod clock;
mod intake;
mod periods;
mod state;
mod tables;

use super::*;
use crate::calendar::Calendar;
use time::Date;

pub(super) fn cal() -> Calendar {
    Calendar::builtin()
}

pub(super) fn ev(on: Date, kind: EventKind) -> Event {
    Event { on, kind }
}

pub(super) fn decided(on: Date, outcome: Outcome) -> Event {
    ev(
        on,
        EventKind::Decided {
            outcome,
            legal_basis: "《中华人民共和国政府信息公开条例》第三十六条".into(),
        },
    )
}

pub(super) fn refused(received: Date, log: &[Event]) -> Refusal {
    replay(received, log, Law::new(&cal())).expect_err("refused")
}
