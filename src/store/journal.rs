//! The anchor journal: this person's own memory of every workspace they have written to,
//! kept outside the workspace (in the user's data folder, following `XDG_DATA_HOME`), one
//! file per workspace id. After each commit one line is appended: the anchor (id, number
//! of events, head hash, when). Someone who can change the workspace file cannot reach
//! every journal of every person who ever wrote to it, so a cut or rewritten record shows
//! against any of them (`domain::anchor`).
//!
//! Writing a line never fails a save: the record is in the workspace, the journal only
//! witnesses it. A lost journal loses no data, only that witness.
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::domain::anchor::Anchor;

/// The folder that holds the journals: `$XDG_DATA_HOME/lotwise/anchors` (by default
/// `~/.local/share/lotwise/anchors`). None when the system names no data folder.
pub fn folder() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("lotwise").join("anchors"))
}

/// The journal file of one workspace id. The id is the workspace's own random hex id; any
/// other character is refused so that a doctored id cannot name a path outside the folder.
pub fn path_for(workspace: &str) -> Option<PathBuf> {
    if workspace.is_empty()
        || !workspace
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return None;
    }
    folder().map(|f| f.join(format!("{workspace}.jsonl")))
}

/// Appends anchors for one workspace, skipping a head it has already written.
pub struct Journal {
    path: PathBuf,
    workspace: String,
    last_events: Mutex<Option<i64>>,
}

impl Journal {
    pub fn for_workspace(workspace: &str) -> Option<Journal> {
        Some(Journal {
            path: path_for(workspace)?,
            workspace: workspace.to_string(),
            last_events: Mutex::new(None),
        })
    }

    /// Records the head after a commit. Failures are logged, never returned: the save has
    /// already been committed and must not be reported as failed.
    pub fn record(&self, events: i64, head: &str) {
        {
            let mut last = self.last_events.lock().unwrap_or_else(|p| p.into_inner());
            if *last == Some(events) {
                return;
            }
            *last = Some(events);
        }
        let anchor = Anchor::new(&self.workspace, events, head, chrono::Utc::now());
        if let Err(e) = append_line(&self.path, &anchor) {
            tracing::warn!(
                journal = %self.path.display(),
                error = %e,
                "could not add to the anchor journal; the save itself is kept"
            );
        }
    }
}

fn append_line(path: &Path, anchor: &Anchor) -> std::io::Result<()> {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d)?;
    }
    let mut line = serde_json::to_string(anchor).map_err(std::io::Error::other)?;
    line.push('\n');
    // One write of one short line to a file opened for appending: lines from two processes
    // never interleave.
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?
        .write_all(line.as_bytes())
}

/// Which workspace this computer last knew at a place (a file's full path, or a server
/// address): a file of another workspace copied over this one has another id, and no
/// journal of its own here to say so. Kept as lines of {"place", "workspace"}, the last line
/// for a place winning; a line is added only when a place is first seen or a new, empty
/// workspace is made there, so it stays short.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Place {
    pub place: String,
    pub workspace: String,
}

fn places_path() -> Option<PathBuf> {
    folder().map(|f| f.join("places.jsonl"))
}

/// A place as it is remembered: a file by its full path.
pub fn place_of(location: &str) -> String {
    if location.starts_with("postgres://") || location.starts_with("postgresql://") {
        return location.to_string();
    }
    std::fs::canonicalize(location)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| location.to_string())
}

/// The workspace last known at `place`, if any.
pub fn known_at(place: &str) -> Option<String> {
    let text = std::fs::read_to_string(places_path()?).ok()?;
    text.lines()
        .rev()
        .filter_map(|l| serde_json::from_str::<Place>(l).ok())
        .find(|p| p.place == place)
        .map(|p| p.workspace)
}

/// Remembers that `workspace` is at `place` (first sight, or a new empty workspace made
/// there). Never fails the caller.
pub fn remember(place: &str, workspace: &str) {
    let Some(path) = places_path() else { return };
    let line = serde_json::to_string(&Place {
        place: place.to_string(),
        workspace: workspace.to_string(),
    })
    .map(|l| l + "\n");
    let written = line.map_err(std::io::Error::other).and_then(|line| {
        if let Some(d) = path.parent() {
            std::fs::create_dir_all(d)?;
        }
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)?
            .write_all(line.as_bytes())
    });
    if let Err(e) = written {
        tracing::warn!(places = %path.display(), error = %e, "could not remember where this workspace is");
    }
}

/// The last anchor in a workspace's journal (the most this computer knew of it).
pub fn last_anchor(workspace: &str) -> Option<(usize, Anchor)> {
    read(workspace).ok()?.1.anchors.pop()
}

/// What a journal file holds: its anchors, and any line that could not be read (a line cut
/// short by a crash mid-write, or an edited one), by line number.
#[derive(Debug, Default)]
pub struct JournalRead {
    pub anchors: Vec<(usize, Anchor)>,
    pub unreadable: Vec<usize>,
}

/// Reads a workspace's journal; an absent journal is empty.
pub fn read(workspace: &str) -> std::io::Result<(Option<PathBuf>, JournalRead)> {
    let Some(path) = path_for(workspace) else {
        return Ok((None, JournalRead::default()));
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok((Some(path), JournalRead::default()));
        }
        Err(e) => return Err(e),
    };
    Ok((Some(path), parse(&text)))
}

pub fn parse(text: &str) -> JournalRead {
    let mut r = JournalRead::default();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Anchor>(line) {
            Ok(a) => r.anchors.push((i + 1, a)),
            Err(_) => r.unreadable.push(i + 1),
        }
    }
    r
}

/// The anchors worth checking: the last one for each event count (the journal gains a line
/// per commit, and most commits of a long session share nothing but their order).
pub fn distinct(anchors: Vec<(usize, Anchor)>) -> Vec<(usize, Anchor)> {
    let mut by_events: std::collections::BTreeMap<(i64, String), (usize, Anchor)> =
        std::collections::BTreeMap::new();
    for (line, a) in anchors {
        by_events.insert((a.events, a.head.clone()), (line, a));
    }
    by_events.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_cut_short_or_edited_is_reported_by_number_and_the_rest_are_read() {
        let a = Anchor::new("ab12", 3, "h3", chrono::Utc::now());
        let good = serde_json::to_string(&a).unwrap();
        let text = format!("{good}\n{{\"lotwiseAnchor\":1,\"work\n\n{good}\n");
        let r = parse(&text);
        assert_eq!(r.anchors.len(), 2);
        assert_eq!(r.anchors[1].0, 4);
        assert_eq!(r.unreadable, vec![2]);
    }

    #[test]
    fn an_id_that_is_not_plain_hex_names_no_journal() {
        assert!(path_for("../../etc/passwd").is_none());
        assert!(path_for("").is_none());
    }

    #[test]
    fn the_same_head_twice_is_checked_once() {
        let at = chrono::Utc::now();
        let d = distinct(vec![
            (1, Anchor::new("w", 1, "a", at)),
            (2, Anchor::new("w", 2, "b", at)),
            (3, Anchor::new("w", 2, "b", at)),
            (4, Anchor::new("w", 2, "c", at)),
        ]);
        assert_eq!(d.len(), 3);
    }
}
