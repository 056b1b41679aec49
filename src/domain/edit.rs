//! Two people editing the same thing at once (a team workspace): the second save is refused
//! rather than silently overwriting the first. A person's save carries the version of the
//! thing they started from; if someone has changed it since, nothing is saved and they are
//! told who changed it and when, so they can reload and make their change again.
use chrono::{DateTime, Utc};

use crate::error::{Error, Result};

/// The latest change to something editable: its version (the audit event's sequence number,
/// or the saved version number for things kept as numbered versions), by whom and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastChange {
    pub version: i64,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A time as people in the UK read it: UK clock time (GMT or BST), e.g.
/// "14:02 on 5 December 2026".
pub fn uk_time(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&chrono_tz::Europe::London);
    format!(
        "{} on {}",
        local.format("%H:%M"),
        super::dates::long(local.date_naive())
    )
}

/// Refuses a save started from `expected` when `current` is a later change. No expected
/// version (a command-line import, which reads and writes in one step) is never stale.
/// `what` names the thing as the sentence needs it, e.g. "the TUPE plan".
pub fn check_not_stale(
    what: &str,
    expected: Option<i64>,
    current: Option<&LastChange>,
) -> Result<()> {
    let Some(expected) = expected else {
        return Ok(());
    };
    match current {
        // The sentence starts with the thing, not the login: a login such as "r.hughes" must
        // keep its lower case, and the app capitalises the first letter of every message.
        Some(c) if c.version != expected => Err(Error::conflict(format!(
            "{} was changed by {} at {} after you opened it, so your change was not saved: reload to see theirs, then make yours again",
            capitalised(what),
            c.by,
            uk_time(c.at)
        ))),
        None if expected != 0 => Err(Error::conflict(format!(
            "{} is no longer there, so your change was not saved: reload to see the current state",
            capitalised(what)
        ))),
        _ => Ok(()),
    }
}

fn capitalised(what: &str) -> String {
    let mut chars = what.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn change(version: i64) -> LastChange {
        LastChange {
            version,
            by: "r.hughes".into(),
            at: Utc.with_ymd_and_hms(2026, 7, 1, 13, 2, 0).unwrap(),
        }
    }

    #[test]
    fn a_save_from_the_current_version_goes_ahead() {
        assert!(check_not_stale("the TUPE plan", Some(7), Some(&change(7))).is_ok());
        assert!(check_not_stale("the TUPE plan", Some(0), None).is_ok());
        assert!(check_not_stale("the TUPE plan", None, Some(&change(9))).is_ok());
    }

    #[test]
    fn a_save_from_an_older_version_names_who_changed_it_and_when_in_uk_time() {
        let e = check_not_stale("the TUPE plan", Some(6), Some(&change(7))).unwrap_err();
        assert_eq!(e.code, crate::error::ErrorCode::Conflict);
        // 13:02 UTC on 1 July is 14:02 BST.
        assert_eq!(
            e.message,
            "The TUPE plan was changed by r.hughes at 14:02 on 1 July 2026 after you opened it, so your change was not saved: reload to see theirs, then make yours again"
        );
        // Something first saved by someone else while you were writing yours is stale too.
        assert!(check_not_stale("the TUPE plan", Some(0), Some(&change(3))).is_err());
    }

    #[test]
    fn uk_time_is_gmt_in_winter_and_bst_from_the_last_sunday_of_march() {
        let at = |m, d, h| Utc.with_ymd_and_hms(2026, m, d, h, 30, 0).unwrap();
        assert_eq!(uk_time(at(12, 5, 14)), "14:30 on 5 December 2026");
        // BST begins at 01:00 UTC on 29 March 2026 (Summer Time Act 1972, s1 as amended).
        assert_eq!(uk_time(at(3, 29, 0)), "00:30 on 29 March 2026");
        assert_eq!(uk_time(at(3, 29, 1)), "02:30 on 29 March 2026");
        // And ends at 01:00 UTC on 25 October 2026.
        assert_eq!(uk_time(at(10, 25, 0)), "01:30 on 25 October 2026");
        assert_eq!(uk_time(at(10, 25, 1)), "01:30 on 25 October 2026");
    }
}
