//! The time front ends pass to the use cases that need an instant (sign-in, sessions). Use
//! cases take the time as an argument, as they take `today`; a front end reads it from a
//! [`Clock`]: the system's, or in tests one that stands still until it is moved.

use std::sync::{Arc, Mutex};
use time::{Duration, OffsetDateTime};

/// The system clock, or a manual one shared by its clones.
#[derive(Clone, Debug, Default)]
pub struct Clock(Option<Arc<Mutex<OffsetDateTime>>>);

impl Clock {
    /// The system's clock.
    pub fn system() -> Clock {
        Clock(None)
    }

    /// A clock that shows `at` until it is moved with [`Clock::advance`] or [`Clock::set`].
    pub fn manual(at: OffsetDateTime) -> Clock {
        Clock(Some(Arc::new(Mutex::new(at))))
    }

    pub fn now(&self) -> OffsetDateTime {
        match &self.0 {
            None => OffsetDateTime::now_utc(),
            Some(t) => *t.lock().unwrap_or_else(|e| e.into_inner()),
        }
    }

    /// Moves a manual clock forward (or back, with a negative duration); the system clock
    /// cannot be moved, and is left as it is.
    pub fn advance(&self, by: Duration) {
        if let Some(t) = &self.0 {
            let mut t = t.lock().unwrap_or_else(|e| e.into_inner());
            *t += by;
        }
    }

    /// Sets a manual clock; the system clock is left as it is.
    pub fn set(&self, at: OffsetDateTime) {
        if let Some(t) = &self.0 {
            *t.lock().unwrap_or_else(|e| e.into_inner()) = at;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told_and_its_clones_follow() {
        let at = time::macros::datetime!(2024-05-06 09:00 UTC);
        let c = Clock::manual(at);
        let shared = c.clone();
        assert_eq!(c.now(), at);
        c.advance(Duration::minutes(16));
        assert_eq!(shared.now(), at + Duration::minutes(16));
        shared.set(at);
        assert_eq!(c.now(), at);
        let sys = Clock::system();
        sys.advance(Duration::days(365));
        assert!((sys.now() - OffsetDateTime::now_utc()).abs() < Duration::minutes(1));
    }
}
