//! Text search that behaves the same on SQLite and PostgreSQL: SQLite's
//! `LIKE` ignores ASCII case, PostgreSQL's does not, so both sides are
//! lower-cased, and the user's `%` and `_` are taken literally.

use sea_orm::ColumnTrait;
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, SimpleExpr};

/// `lower(column) LIKE '%needle%'`, with the needle's wildcards escaped.
pub fn contains_ci(column: impl ColumnTrait, needle: &str) -> SimpleExpr {
    let escaped = needle
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    Expr::expr(Func::lower(Expr::col(column)))
        .like(LikeExpr::new(format!("%{escaped}%")).escape('\\'))
}
