//! The connection a write goes through: the ledger writer's transaction
//! (a job's savepoint, a projection's statements), or a replay's.
//!
//! It is sea-orm's transaction, and every query sea-orm builds runs on it as
//! on any connection. On the writer's own SQLite connection (`db::inline`) it
//! also offers the hot statements a few typed shortcuts, made once per table
//! and column and read straight into models: [`Conn::find_by`],
//! [`Conn::insert`], [`Conn::add_to`], [`Conn::update_by`]. Elsewhere
//! (PostgreSQL, and every replay, whose connection is built without the
//! inline one) those are sea-orm's own `find`, `insert` (with its
//! `on_conflict`) and `update_many`, so each reads and
//! writes alike on either path: the API suite runs on both, and the replay
//! tests compare a replayed instance with the live one.

use std::sync::Arc;

use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    DbBackend, DbErr, EntityName, EntityTrait, ExecResult, IdenStatic, IntoActiveModel, Iterable,
    QueryFilter, QueryResult, Statement, TryIntoModel, Value,
};

use super::inline::{InlineSqlite, primary_key};

/// A transaction, and the writer's own SQLite connection under it if any.
pub struct Conn {
    txn: DatabaseTransaction,
    sqlite: Option<Arc<InlineSqlite>>,
}

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Conn")
            .field("inline", &self.sqlite.is_some())
            .finish_non_exhaustive()
    }
}

impl Conn {
    /// `txn`; `sqlite` must be the connection `txn` runs on, if given.
    pub fn new(txn: DatabaseTransaction, sqlite: Option<Arc<InlineSqlite>>) -> Self {
        Self { txn, sqlite }
    }

    pub fn transaction(&self) -> &DatabaseTransaction {
        &self.txn
    }

    pub fn into_transaction(self) -> DatabaseTransaction {
        self.txn
    }

    /// The rows of `E` whose `column` is `value`.
    pub async fn find_by<E>(
        &self,
        column: E::Column,
        value: impl Into<Value>,
    ) -> Result<Vec<E::Model>, DbErr>
    where
        E: EntityTrait + Default,
        E::ActiveModel: TryIntoModel<E::Model>,
    {
        let value = value.into();
        match &self.sqlite {
            Some(sqlite) => sqlite.find_by::<E>(column, value),
            None => E::find().filter(column.eq(value)).all(&self.txn).await,
        }
    }

    /// Inserts `model`, every column of which is set.
    pub async fn insert<A>(&self, model: A) -> Result<(), DbErr>
    where
        A: ActiveModelTrait + ActiveModelBehavior + Send,
        A::Entity: Default,
        <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
    {
        match &self.sqlite {
            Some(sqlite) => sqlite.insert(model),
            None => A::Entity::insert(model)
                .exec_without_returning(&self.txn)
                .await
                .map(drop),
        }
    }

    /// Inserts `model`, every column of which is set; or, if a row has its
    /// primary key, adds each other column's value to that row's: a
    /// counter's row kept by increments.
    pub async fn add_to<A>(&self, model: A) -> Result<(), DbErr>
    where
        A: ActiveModelTrait + ActiveModelBehavior + Send,
        A::Entity: Default,
        <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
    {
        if let Some(sqlite) = &self.sqlite {
            return sqlite.add_to(model);
        }
        let table = A::Entity::default().table_name();
        let key = primary_key::<A::Entity>();
        let mut conflict = OnConflict::columns(key.iter().copied());
        for column in <A::Entity as EntityTrait>::Column::iter()
            .filter(|c| key.iter().all(|k| k.as_str() != c.as_str()))
        {
            let name = column.as_str();
            conflict.value(
                column,
                Expr::cust(format!(r#""{table}"."{name}" + excluded."{name}""#)),
            );
        }
        A::Entity::insert(model)
            .on_conflict(conflict)
            .exec_without_returning(&self.txn)
            .await
            .map(drop)
    }

    /// Sets `values` on the rows of `E` whose `column` is `value`; returns
    /// how many rows changed.
    pub async fn update_by<E>(
        &self,
        column: E::Column,
        value: impl Into<Value>,
        values: Vec<(E::Column, Value)>,
    ) -> Result<u64, DbErr>
    where
        E: EntityTrait + Default,
    {
        let value = value.into();
        match &self.sqlite {
            Some(sqlite) => sqlite.update_by::<E>(column, value, &values),
            None => {
                let mut update = E::update_many();
                for (set, to) in values {
                    update = update.col_expr(set, Expr::value(to));
                }
                let result = update.filter(column.eq(value)).exec(&self.txn).await?;
                Ok(result.rows_affected)
            }
        }
    }
}

/// Every query sea-orm builds runs on the transaction.
#[async_trait::async_trait]
impl ConnectionTrait for Conn {
    fn get_database_backend(&self) -> DbBackend {
        self.txn.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.txn.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.txn.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.txn.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.txn.query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.txn.support_returning()
    }

    fn is_mock_connection(&self) -> bool {
        self.txn.is_mock_connection()
    }
}
