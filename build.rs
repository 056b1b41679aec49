// New migrations are embedded by sqlx::migrate!; make cargo notice them.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
