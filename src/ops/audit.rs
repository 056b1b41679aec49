//! Reading and verifying the audit trail.
use super::Ctx;
use crate::domain::model::{AuditPage, AuditVerification};
use crate::error::Result;

pub async fn page(ctx: &Ctx, offset: i64, limit: i64) -> Result<AuditPage> {
    ctx.store.audit_page(offset, limit).await
}

pub async fn verify(ctx: &Ctx) -> Result<AuditVerification> {
    ctx.store.verify_audit().await
}

pub async fn backup(ctx: &Ctx, out: &std::path::Path) -> Result<()> {
    ctx.store.backup(out).await
}
