//! The OCDS export validated against the official OCDS 1.1.5 release package schema, offline
//! (../shared/ocds-1.1.5), for every procurement in the demo; and what it says.
use serde_json::Value;
use std::path::{Path, PathBuf};

use crate::support::*;

fn schema_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/ocds-1.1.5")
}

fn read(p: &Path) -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
    )
    .unwrap()
}

/// The package schema with its one external reference (the release schema, by URL) replaced
/// by the dereferenced release schema shipped beside it, so validation needs no network.
fn validator() -> jsonschema::Validator {
    let mut package = read(&schema_dir().join("release-package-schema.json"));
    let release = read(&schema_dir().join("dereferenced-release-schema.json"));
    assert_eq!(
        package["properties"]["releases"]["items"]["$ref"],
        "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"
    );
    package["properties"]["releases"]["items"] = release;
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&package)
        .expect("the OCDS schema compiles")
}

fn errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn every_demo_procurement_exports_a_valid_release_package() {
    let ws = workspace();
    assert!(lotwise(&ws, &["demo"]).status.success());
    let v = validator();
    // The validator is not vacuous: a package without its releases, or with a bad tag, fails.
    let mut broken = serde_json::json!({ "uri": "https://x.invalid", "version": "1.1", "publishedDate": "2026-11-25T00:00:00Z", "publisher": { "name": "X" } });
    assert!(!errors(&v, &broken).is_empty());
    broken["releases"] = serde_json::json!([{ "ocid": "ocds-x-1", "id": "1", "date": "2026-11-25T00:00:00Z", "tag": ["bidding"], "initiationType": "tender" }]);
    assert!(
        errors(&v, &broken).iter().any(|e| e.contains("bidding")),
        "{:?}",
        errors(&v, &broken)
    );

    for reference in ["KCC-CN", "KCC-PH-HT", "LCC-0019", "NCC-05", "WK-PREV"] {
        let out = ws.dir.path().join(format!("{reference}.json"));
        let o = lotwise(
            &ws,
            &["export", "ocds", reference, "--out", out.to_str().unwrap()],
        );
        assert!(o.status.success(), "{reference}: {}", stderr(&o));
        assert!(stdout(&o).contains("OCDS 1.1.5 release package"));
        let doc = read(&out);
        let errs = errors(&v, &doc);
        assert!(errs.is_empty(), "{reference}: {errs:#?}");
        // Community Navigation's DGS&S lot is at tender with clarifications asked.
        if reference == "KCC-CN" {
            assert_eq!(doc["releases"][0]["tender"]["hasEnquiries"], true);
        }
    }
}

#[test]
fn the_export_carries_lots_awards_contracts_and_identified_parties() {
    let ws = workspace();
    assert!(lotwise(&ws, &["demo"]).status.success());
    let list: Value =
        serde_json::from_str(&stdout(&lotwise(&ws, &["lots", "list", "--json"]))).unwrap();
    let v = validator();
    let mut seen_award = false;
    let mut seen_contract = false;
    let mut seen_coh_or_chc = false;
    let mut seen_lots = 0;
    let all: Value =
        serde_json::from_str(&stdout(&lotwise(&ws, &["procurements", "list", "--json"]))).unwrap();
    let ids: Vec<String> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].to_string())
        .collect();
    assert_eq!(ids.len(), 5);
    for id in ids {
        let out = ws.dir.path().join(format!("p{id}.json"));
        let o = lotwise(
            &ws,
            &["export", "ocds", &id, "--out", out.to_str().unwrap()],
        );
        assert!(o.status.success(), "{id}: {}", stderr(&o));
        let doc = read(&out);
        assert!(errors(&v, &doc).is_empty(), "{id}: {:#?}", errors(&v, &doc));
        let r = &doc["releases"][0];
        assert!(r["ocid"].as_str().unwrap().starts_with("ocds-lotwise-"));
        seen_lots += r["tender"]["lots"].as_array().unwrap().len();
        if let Some(a) = r["awards"].as_array() {
            seen_award |= !a.is_empty();
            for aw in a {
                assert_eq!(aw["relatedLots"].as_array().unwrap().len(), 1);
                assert_eq!(aw["value"]["currency"], "GBP");
            }
        }
        seen_contract |= r["contracts"].as_array().is_some_and(|c| !c.is_empty());
        for p in r["parties"].as_array().unwrap() {
            if let Some(scheme) = p["identifier"]["scheme"].as_str() {
                assert!(scheme == "GB-COH" || scheme == "GB-CHC", "{scheme}");
                assert_eq!(
                    p["id"],
                    format!("{scheme}-{}", p["identifier"]["id"].as_str().unwrap())
                );
                seen_coh_or_chc = true;
            }
        }
        assert_eq!(
            r["buyer"]["id"],
            r["parties"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["roles"].as_array().unwrap().iter().any(|x| x == "buyer"))
                .unwrap()["id"]
        );
    }
    assert_eq!(
        seen_lots,
        list.as_array().unwrap().len(),
        "every lot is in some release"
    );
    assert!(
        seen_award,
        "the demo's lots at award are exported as awards"
    );
    assert!(
        seen_contract,
        "the demo's Section 75 lot is exported as a contract"
    );
    assert!(
        seen_coh_or_chc,
        "suppliers carry their Companies House or charity numbers"
    );
    // A procurement that does not exist: a clear error, no file.
    let out = ws.dir.path().join("none.json");
    let o = lotwise(
        &ws,
        &["export", "ocds", "NOPE", "--out", out.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no procurement “NOPE”"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
}
