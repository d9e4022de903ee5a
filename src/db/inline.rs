//! The ledger writer's SQLite connection, driven on the writer's own thread.
//!
//! Through sqlx every statement is a round trip to the connection's worker
//! thread, and a batch of 64 transitions is some 800 of them: those hand-offs,
//! not SQLite, were most of the writer's cost (docs/BENCHMARKS.md). This
//! connection is a rusqlite one behind sea-orm, so that the
//! domains' jobs keep their sea-orm code while each statement runs where the
//! job runs, from a cache of prepared statements.
//!
//! Two things make it agree with sqlx byte for byte and value for value:
//!
//! - **Writing**, a value is stored as sqlx stores it: a UUID as its 16 bytes,
//!   a time as RFC 3339 text, JSON as text, a boolean as 0 or 1. Rows written
//!   by either driver read alike through both.
//! - **Reading**, sea-orm takes each value of a row it is handed by its exact variant (an
//!   `i32` field must be given `Value::Int`, a time `Value::ChronoDateTimeUtc`)
//!   and reads any mismatch as a null. So a column's value takes the type its
//!   entity declares, found by the table and column SQLite says the result
//!   comes from ([`Shape`]); a computed column goes by its storage class.
//!   A value that does not convert is an error, never a silent null.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};
use rusqlite::types::{ToSqlOutput, Value as Stored, ValueRef};
use rusqlite::{Connection, OpenFlags};
use sea_orm::sea_query::{ColumnType, OptionEnum, Value};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseConnectionType, DbBackend, DbErr,
    EntityName, EntityTrait, ExecResult, IdenStatic, IntoMockRow, Iterable, MockDatabase,
    MockDatabaseConnection, MockDatabaseTrait, MockExecResult, MockRow, PrimaryKeyToColumn,
    QueryResult, Statement, Transaction, TryIntoModel,
};

/// The type a result column's values are given to sea-orm in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Uuid,
    TimeUtc,
    Date,
    Json,
    Bool,
    Double,
    Int32,
    Int64,
    Text,
    Bytes,
    /// A computed column: by what SQLite stored (integer, real, text, blob).
    Stored,
}

impl Kind {
    /// The kind sea-orm reads a column of this type as, if Retrace uses it.
    fn of(column: &ColumnType) -> Option<Self> {
        Some(match column {
            ColumnType::Uuid => Self::Uuid,
            ColumnType::TimestampWithTimeZone => Self::TimeUtc,
            ColumnType::Date => Self::Date,
            ColumnType::Json | ColumnType::JsonBinary => Self::Json,
            ColumnType::Boolean => Self::Bool,
            ColumnType::Double => Self::Double,
            ColumnType::Integer => Self::Int32,
            ColumnType::BigInteger => Self::Int64,
            ColumnType::String(_) | ColumnType::Text | ColumnType::Char(_) => Self::Text,
            ColumnType::Blob | ColumnType::Binary(_) | ColumnType::VarBinary(_) => Self::Bytes,
            _ => return None,
        })
    }
}

/// Every entity's columns, by table and column name: what their values are
/// read as. An entity missing here would have its integers read as `i64`;
/// `every_table_is_known` (tests) holds the list to the schema.
static KINDS: LazyLock<HashMap<(&'static str, String), Kind>> = LazyLock::new(|| {
    let mut kinds = HashMap::new();
    macro_rules! entities {
        ($($entity:ident),* $(,)?) => {
            $(register::<entities::$entity::Entity>(&mut kinds);)*
        };
    }
    entities!(
        allocation,
        allocation_signature,
        api_token,
        beneficiary,
        beneficiary_personal_data,
        certificate,
        complaint,
        daily_tally,
        device,
        device_departure,
        device_work,
        document,
        donor,
        erasure_record,
        event,
        event_personal_field,
        idempotency_key,
        ledger_head,
        lot,
        medium,
        part,
        pending_rebuild,
        portal_link,
        site,
        stock_audit,
        stock_audit_scan,
        timesheet_entry,
        user,
        waste_shipment,
        waste_shipment_item,
        web_session,
        worker,
        worker_personal_data,
    );
    kinds
});

fn register<E: EntityTrait + Default>(kinds: &mut HashMap<(&'static str, String), Kind>) {
    let table = E::default().table_name();
    for (column, kind) in columns::<E>() {
        kinds.insert((table, column.as_str().to_owned()), kind);
    }
}

/// `E`'s columns in their order, each with the kind its values are read as.
fn columns<E: EntityTrait>() -> Vec<(E::Column, Kind)> {
    E::Column::iter()
        .map(|column| {
            let kind = Kind::of(column.def().get_column_type()).unwrap_or(Kind::Stored);
            (column, kind)
        })
        .collect()
}

/// The tables whose columns are typed by their entity.
pub fn known_tables() -> Vec<&'static str> {
    let mut tables: Vec<_> = KINDS.keys().map(|(table, _)| *table).collect();
    tables.sort_unstable();
    tables.dedup();
    tables
}

/// The kind of `table.column`, if an entity declares it.
pub fn kind_of(table: &str, column: &str) -> Option<Kind> {
    KINDS.get(&(table, column.to_owned())).copied()
}

/// A statement's result columns: their names and kinds, found once per SQL text.
#[derive(Debug)]
struct Shape {
    columns: Vec<(String, Kind)>,
    /// Whether reading by position needs keys of its own: sea-orm reads a
    /// handed row's `n`th column as the `n`th of its map, in name order.
    by_position: bool,
}

impl Shape {
    fn of(statement: &rusqlite::Statement<'_>) -> Self {
        let columns: Vec<(String, Kind)> = statement
            .columns_with_metadata()
            .iter()
            .map(|column| {
                let name = column.name().to_owned();
                let kind = column
                    .table_name()
                    .zip(column.origin_name())
                    .and_then(|(table, origin)| kind_of(table, origin))
                    .unwrap_or(Kind::Stored);
                (name, kind)
            })
            .collect();
        let by_position = columns.windows(2).any(|pair| pair[0].0 >= pair[1].0);
        Self {
            columns,
            by_position,
        }
    }
}

/// The most statement shapes kept; found again from the statement if dropped.
const SHAPES_KEPT: usize = 1024;

/// Keys that sort before any column name, in the result's order.
fn position_key(index: usize) -> String {
    format!("\u{0}{index:05}")
}

struct State {
    conn: Connection,
    /// Open transaction levels: 0 none, 1 the batch's, more its savepoints.
    depth: usize,
    /// A failure sea-orm's interface cannot return (it has no error on
    /// `begin`, `commit` or `rollback`): returned by the next statement and
    /// by [`InlineSqlite::check`].
    failure: Option<String>,
    shapes: HashMap<String, Shape>,
    /// The SQL of the shortcuts, made once by table.
    made: HashMap<(&'static str, Made), String>,
}

/// A statement a shortcut makes for a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Made {
    /// [`InlineSqlite::find_by`] that column.
    FindBy(&'static str),
    Insert,
    AddTo,
}

/// An SQLite connection driven on the calling thread, behind sea-orm.
pub struct InlineSqlite {
    state: Mutex<State>,
}

impl std::fmt::Debug for InlineSqlite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InlineSqlite")
    }
}

impl InlineSqlite {
    /// Opens the SQLite file at `path` as sqlx opens it for writing (WAL,
    /// `synchronous=FULL`, foreign keys, deleted rows zeroed), and a
    /// sea-orm connection over it. The caller drives both from one thread.
    pub fn open(path: &Path) -> Result<(Arc<Self>, DatabaseConnection), DbErr> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(failed)?;
        conn.busy_timeout(Duration::from_secs(10)).map_err(failed)?;
        // `temp_store = MEMORY` keeps each savepoint's journal (the pages a
        // job changed, as they were) in memory: on file it was a write
        // system call per page, a third of the writer's time during
        // registrations, and old page images, a person's among them, left
        // in a temporary file on disk.
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
             PRAGMA secure_delete = ON; PRAGMA cache_size = -32768; PRAGMA mmap_size = 1073741824; \
             PRAGMA temp_store = MEMORY;",
        )
        .map_err(failed)?;
        // A batch is hundreds of statements of a few dozen shapes.
        conn.set_prepared_statement_cache_capacity(256);
        let inline = Arc::new(Self {
            state: Mutex::new(State {
                conn,
                depth: 0,
                failure: None,
                shapes: HashMap::new(),
                made: HashMap::new(),
            }),
        });
        let driver = MockDatabaseConnection::new(Driver(Arc::clone(&inline)));
        let db = DatabaseConnectionType::MockDatabaseConnection(Arc::new(driver)).into();
        Ok((inline, db))
    }

    /// The failure of a `begin`, `commit` or `rollback` since the last check.
    pub fn check(&self) -> Result<(), DbErr> {
        match self.lock()?.failure.take() {
            Some(failure) => Err(DbErr::Custom(failure)),
            None => Ok(()),
        }
    }

    /// The rows of `E` whose `column` is `value`, read straight into its
    /// models: what `E::find().filter(column.eq(value)).all(..)` reads,
    /// without building the query each time nor a map of each row. The
    /// writer's hot reads go this way (`db::conn::Conn::find_by`).
    pub fn find_by<E>(&self, column: E::Column, value: Value) -> Result<Vec<E::Model>, DbErr>
    where
        E: EntityTrait + Default,
        E::ActiveModel: TryIntoModel<E::Model>,
    {
        let mut state = self.lock()?;
        state.ready()?;
        let State { conn, made, .. } = &mut *state;
        let sql = made
            .entry((E::default().table_name(), Made::FindBy(column.as_str())))
            .or_insert_with(|| {
                let columns: Vec<String> = E::Column::iter().map(|c| quoted(c.as_str())).collect();
                format!(
                    "SELECT {} FROM {} WHERE {} = ?",
                    columns.join(", "),
                    quoted(E::default().table_name()),
                    quoted(column.as_str())
                )
            });
        let mut prepared = conn.prepare_cached(sql).map_err(failed)?;
        prepared
            .raw_bind_parameter(1, stored(&value)?)
            .map_err(failed)?;
        let columns = columns::<E>();
        let mut rows = prepared.raw_query();
        let mut models = Vec::new();
        while let Some(row) = rows.next().map_err(failed)? {
            let mut model = E::ActiveModel::default();
            for (index, &(column, kind)) in columns.iter().enumerate() {
                let value = read(row.get_ref(index).map_err(failed)?, kind)
                    .map_err(|err| DbErr::Type(format!("column {}: {err}", column.as_str())))?;
                model.try_set(column, value)?;
            }
            models.push(model.try_into_model()?);
        }
        Ok(models)
    }

    /// Inserts `model`, every column of which is set: what
    /// `E::insert(model).exec_without_returning(..)` writes, without
    /// building the statement each time.
    pub fn insert<A>(&self, model: A) -> Result<(), DbErr>
    where
        A: ActiveModelTrait,
        A::Entity: Default,
    {
        self.write(model, Made::Insert, |table, columns| {
            format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                columns.join(", "),
                vec!["?"; columns.len()].join(", ")
            )
        })
    }

    /// Inserts `model`, every column of which is set; or, if a row has its
    /// primary key, adds each other column's value to that row's.
    pub fn add_to<A>(&self, model: A) -> Result<(), DbErr>
    where
        A: ActiveModelTrait,
        A::Entity: Default,
    {
        self.write(model, Made::AddTo, |table, columns| {
            let key: Vec<String> = primary_key::<A::Entity>()
                .iter()
                .map(|c| quoted(c.as_str()))
                .collect();
            let sums: Vec<String> = columns
                .iter()
                .filter(|c| !key.contains(c))
                .map(|c| format!("{c} = {table}.{c} + excluded.{c}"))
                .collect();
            format!(
                "INSERT INTO {table} ({}) VALUES ({}) ON CONFLICT ({}) DO UPDATE SET {}",
                columns.join(", "),
                vec!["?"; columns.len()].join(", "),
                key.join(", "),
                sums.join(", ")
            )
        })
    }

    /// Runs the statement `make` makes from the table's and its columns'
    /// quoted names, once, bound to every column of `model`. The values are
    /// taken, not copied: a payload or a device's specs can be long.
    fn write<A>(
        &self,
        mut model: A,
        statement: Made,
        make: impl FnOnce(&str, &[String]) -> String,
    ) -> Result<(), DbErr>
    where
        A: ActiveModelTrait,
        A::Entity: Default,
    {
        let table = A::Entity::default().table_name();
        let values = <A::Entity as EntityTrait>::Column::iter()
            .map(|column| {
                model
                    .take(column)
                    .into_value()
                    .ok_or_else(|| DbErr::Custom(format!("{table}.{} is not set", column.as_str())))
            })
            .collect::<Result<Vec<Value>, DbErr>>()?;
        let mut state = self.lock()?;
        state.ready()?;
        let State { conn, made, .. } = &mut *state;
        let sql = made.entry((table, statement)).or_insert_with(|| {
            let columns: Vec<String> = <A::Entity as EntityTrait>::Column::iter()
                .map(|c| quoted(c.as_str()))
                .collect();
            make(&quoted(table), &columns)
        });
        let mut prepared = conn.prepare_cached(sql).map_err(failed)?;
        bind(&mut prepared, &values)?;
        prepared.raw_execute().map_err(failed)?;
        Ok(())
    }

    /// Sets `values` on the rows of `E` whose `column` is `value`: what
    /// `E::update_many()` with those columns writes. Returns how many rows
    /// changed.
    pub fn update_by<E>(
        &self,
        column: E::Column,
        value: Value,
        values: &[(E::Column, Value)],
    ) -> Result<u64, DbErr>
    where
        E: EntityTrait + Default,
    {
        let sets: Vec<String> = values
            .iter()
            .map(|(set, _)| format!("{} = ?", quoted(set.as_str())))
            .collect();
        let sql = format!(
            "UPDATE {} SET {} WHERE {} = ?",
            quoted(E::default().table_name()),
            sets.join(", "),
            quoted(column.as_str())
        );
        let mut state = self.lock()?;
        state.ready()?;
        let mut prepared = state.conn.prepare_cached(&sql).map_err(failed)?;
        bind(
            &mut prepared,
            values.iter().map(|(_, to)| to).chain([&value]),
        )?;
        let changed = prepared.raw_execute().map_err(failed)?;
        Ok(changed as u64)
    }

    fn lock(&self) -> Result<MutexGuard<'_, State>, DbErr> {
        self.state
            .lock()
            .map_err(|_| DbErr::Custom("the SQLite connection was poisoned".into()))
    }
}

impl State {
    fn ready(&mut self) -> Result<(), DbErr> {
        match self.failure.take() {
            Some(failure) => Err(DbErr::Custom(failure)),
            None => Ok(()),
        }
    }

    fn run(&mut self, sql: &str) {
        let result = self
            .conn
            .prepare_cached(sql)
            .and_then(|mut statement| statement.execute([]));
        if let Err(err) = result {
            self.failure.get_or_insert(format!("{sql}: {err}"));
        }
    }

    fn begin(&mut self) {
        self.depth += 1;
        if self.depth == 1 {
            self.run("BEGIN IMMEDIATE");
        } else {
            self.run(&format!("SAVEPOINT s{}", self.depth));
        }
    }

    /// Leaves the innermost open level; returns its number (1 the
    /// transaction, more a savepoint), if one was open.
    fn leave(&mut self) -> Option<usize> {
        let level = self.depth;
        self.depth = level.checked_sub(1)?;
        Some(level)
    }

    fn commit(&mut self) {
        match self.leave() {
            Some(1) => {
                self.run("COMMIT");
                // A commit that failed may leave the transaction open.
                if !self.conn.is_autocommit() {
                    self.run("ROLLBACK");
                }
            }
            Some(level) => self.run(&format!("RELEASE s{level}")),
            None => {}
        }
    }

    fn rollback(&mut self) {
        match self.leave() {
            Some(1) if !self.conn.is_autocommit() => self.run("ROLLBACK"),
            Some(1) | None => {}
            Some(level) => {
                self.run(&format!("ROLLBACK TO s{level}"));
                self.run(&format!("RELEASE s{level}"));
            }
        }
    }

    fn query(&mut self, statement: &Statement) -> Result<Vec<MockRow>, DbErr> {
        self.ready()?;
        let sql = statement.sql.as_str();
        let Self { conn, shapes, .. } = self;
        let mut prepared = conn.prepare_cached(sql).map_err(failed)?;
        if !shapes.contains_key(sql) {
            // Kept within bounds as the statement cache is: texts differ by
            // the length of an `IN` list, and the writer runs for months.
            if shapes.len() >= SHAPES_KEPT {
                shapes.clear();
            }
            shapes.insert(sql.to_owned(), Shape::of(&prepared));
        }
        let shape = &shapes[sql];
        bind(&mut prepared, values_of(statement))?;
        let mut rows = prepared.raw_query();
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(failed)? {
            let mut values = BTreeMap::new();
            for (index, (name, kind)) in shape.columns.iter().enumerate() {
                let value = read(row.get_ref(index).map_err(failed)?, *kind)
                    .map_err(|err| DbErr::Type(format!("column {name}: {err}")))?;
                if shape.by_position {
                    values.insert(position_key(index), value.clone());
                }
                // Of two columns of one name, the first is read (as sqlx does).
                values.entry(name.clone()).or_insert(value);
            }
            out.push(values.into_mock_row());
        }
        Ok(out)
    }

    fn execute(&mut self, statement: &Statement) -> Result<MockExecResult, DbErr> {
        self.ready()?;
        let conn = &self.conn;
        if statement.values.is_none() {
            // Unprepared SQL may hold several statements.
            conn.execute_batch(&statement.sql).map_err(failed)?;
        } else {
            let mut prepared = conn.prepare_cached(&statement.sql).map_err(failed)?;
            bind(&mut prepared, values_of(statement))?;
            let mut rows = prepared.raw_query();
            while rows.next().map_err(failed)?.is_some() {}
        }
        Ok(MockExecResult {
            last_insert_id: u64::try_from(conn.last_insert_rowid()).unwrap_or(0),
            rows_affected: conn.changes(),
        })
    }
}

/// sea-orm's handle on the connection (the writer keeps the other).
///
/// sea-orm 2.0.4 offers two interfaces for a connection of one's own: its
/// proxy, which does not compile beside its sqlx SQLite driver, and its mock,
/// used here. A mock's rows and results can only be built by sea-orm's own
/// `MockDatabase`, so each statement's are handed to a new one to wrap.
#[derive(Debug)]
struct Driver(Arc<InlineSqlite>);

impl MockDatabaseTrait for Driver {
    fn execute(&mut self, _: usize, statement: Statement) -> Result<ExecResult, DbErr> {
        let result = self.0.lock()?.execute(&statement)?;
        MockDatabase::new(DbBackend::Sqlite)
            .append_exec_results([result])
            .execute(0, statement)
    }

    fn query(&mut self, _: usize, statement: Statement) -> Result<Vec<QueryResult>, DbErr> {
        let rows = self.0.lock()?.query(&statement)?;
        MockDatabase::new(DbBackend::Sqlite)
            .append_query_results([rows])
            .query(0, statement)
    }

    fn begin(&mut self) {
        if let Ok(mut state) = self.0.lock() {
            state.begin();
        }
    }

    fn commit(&mut self) {
        if let Ok(mut state) = self.0.lock() {
            state.commit();
        }
    }

    fn rollback(&mut self) {
        if let Ok(mut state) = self.0.lock() {
            state.rollback();
        }
    }

    fn drain_transaction_log(&mut self) -> Vec<Transaction> {
        Vec::new()
    }

    fn get_database_backend(&self) -> DbBackend {
        DbBackend::Sqlite
    }

    fn ping(&self) -> Result<(), DbErr> {
        Ok(())
    }
}

fn values_of(statement: &Statement) -> &[Value] {
    statement.values.as_ref().map_or(&[], |values| &values.0)
}

/// A name as sea-query quotes it for SQLite.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn failed(err: rusqlite::Error) -> DbErr {
    DbErr::Custom(format!("SQLite: {err}"))
}

/// Binds `values`, each as sqlx would store it.
fn bind<'v>(
    prepared: &mut rusqlite::Statement<'_>,
    values: impl IntoIterator<Item = &'v Value>,
) -> Result<(), DbErr> {
    for (index, value) in values.into_iter().enumerate() {
        prepared
            .raw_bind_parameter(index + 1, stored(value)?)
            .map_err(failed)?;
    }
    Ok(())
}

/// A value as sqlx's SQLite driver stores it.
fn stored(value: &Value) -> Result<ToSqlOutput<'_>, DbErr> {
    fn owned(value: Option<Stored>) -> ToSqlOutput<'static> {
        ToSqlOutput::Owned(value.unwrap_or(Stored::Null))
    }
    fn text(value: Option<&str>) -> ToSqlOutput<'_> {
        value.map_or(ToSqlOutput::Owned(Stored::Null), |s| {
            ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes()))
        })
    }
    Ok(match value {
        Value::Bool(v) => owned(v.map(|b| Stored::Integer(i64::from(b)))),
        Value::TinyInt(v) => owned(v.map(|i| Stored::Integer(i.into()))),
        Value::SmallInt(v) => owned(v.map(|i| Stored::Integer(i.into()))),
        Value::Int(v) => owned(v.map(|i| Stored::Integer(i.into()))),
        Value::BigInt(v) => owned(v.map(Stored::Integer)),
        Value::TinyUnsigned(v) => owned(v.map(|i| Stored::Integer(i.into()))),
        Value::SmallUnsigned(v) => owned(v.map(|i| Stored::Integer(i.into()))),
        Value::Unsigned(v) => owned(v.map(|i| Stored::Integer(i.into()))),
        Value::BigUnsigned(v) => match v {
            Some(i) => {
                owned(Some(Stored::Integer(i64::try_from(*i).map_err(|_| {
                    DbErr::Type(format!("{i} is beyond SQLite's integers"))
                })?)))
            }
            None => owned(None),
        },
        Value::Float(v) => owned(v.map(|f| Stored::Real(f.into()))),
        Value::Double(v) => owned(v.map(Stored::Real)),
        Value::String(v) => text(v.as_deref()),
        Value::Enum(OptionEnum::Some(e)) => text(Some(e.value.as_ref())),
        Value::Enum(OptionEnum::None(_)) => owned(None),
        Value::Char(v) => owned(v.map(|c| Stored::Text(c.to_string()))),
        Value::Bytes(v) => v.as_deref().map_or(ToSqlOutput::Owned(Stored::Null), |b| {
            ToSqlOutput::Borrowed(ValueRef::Blob(b))
        }),
        Value::Uuid(v) => v.as_ref().map_or(ToSqlOutput::Owned(Stored::Null), |u| {
            ToSqlOutput::Borrowed(ValueRef::Blob(u.as_bytes()))
        }),
        Value::Json(v) => owned(match v {
            Some(json) => Some(Stored::Text(
                serde_json::to_string(json).map_err(|e| DbErr::Json(e.to_string()))?,
            )),
            None => None,
        }),
        Value::ChronoDate(v) => owned(v.map(|d| Stored::Text(d.format("%F").to_string()))),
        Value::ChronoTime(v) => owned(v.map(|t| Stored::Text(t.format("%T%.f").to_string()))),
        Value::ChronoDateTime(v) => {
            owned(v.map(|t| Stored::Text(t.format("%F %T%.f").to_string())))
        }
        Value::ChronoDateTimeUtc(v) => owned(v.map(|t| Stored::Text(rfc3339(&t)))),
        Value::ChronoDateTimeLocal(v) => owned(v.map(|t| Stored::Text(rfc3339(&t)))),
        Value::ChronoDateTimeWithTimeZone(v) => owned(v.map(|t| Stored::Text(rfc3339(&t)))),
        #[allow(unreachable_patterns)]
        other => {
            return Err(DbErr::Type(format!(
                "SQLite does not store {other:?} values"
            )));
        }
    })
}

fn rfc3339<Tz: TimeZone>(time: &DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    time.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

/// A stored value as sea-orm reads a column of `kind`.
fn read(value: ValueRef<'_>, kind: Kind) -> Result<Value, String> {
    let null = matches!(value, ValueRef::Null);
    Ok(match kind {
        Kind::Uuid => Value::Uuid(if null { None } else { Some(uuid(value)?) }),
        Kind::TimeUtc => Value::ChronoDateTimeUtc(if null { None } else { Some(time(value)?) }),
        Kind::Date => Value::ChronoDate(if null {
            None
        } else {
            Some(NaiveDate::parse_from_str(text(value)?, "%F").map_err(|e| e.to_string())?)
        }),
        Kind::Json => Value::Json(if null {
            None
        } else {
            let json = match value {
                ValueRef::Blob(bytes) => serde_json::from_slice(bytes),
                _ => serde_json::from_str(text(value)?),
            };
            Some(Box::new(json.map_err(|e| e.to_string())?))
        }),
        Kind::Bool => Value::Bool(if null {
            None
        } else {
            Some(integer(value)? != 0)
        }),
        Kind::Double => Value::Double(match value {
            ValueRef::Null => None,
            ValueRef::Real(f) => Some(f),
            // Integer values are exact in a double up to 2^53.
            #[allow(clippy::cast_precision_loss)]
            ValueRef::Integer(i) => Some(i as f64),
            _ => return Err(format!("{:?} is not a number", value.data_type())),
        }),
        Kind::Int32 => Value::Int(if null {
            None
        } else {
            Some(i32::try_from(integer(value)?).map_err(|e| e.to_string())?)
        }),
        Kind::Int64 => Value::BigInt(if null { None } else { Some(integer(value)?) }),
        Kind::Text => Value::String(match value {
            ValueRef::Null => None,
            ValueRef::Integer(i) => Some(i.to_string()),
            ValueRef::Real(f) => Some(f.to_string()),
            _ => Some(text(value)?.to_owned()),
        }),
        Kind::Bytes => Value::Bytes(match value {
            ValueRef::Null => None,
            ValueRef::Blob(b) => Some(b.to_vec()),
            ValueRef::Text(t) => Some(t.to_vec()),
            _ => return Err(format!("{:?} is not bytes", value.data_type())),
        }),
        Kind::Stored => match value {
            // Of a computed column, sea-orm reads a null as a null whatever
            // type it asks for.
            ValueRef::Null => Value::String(None),
            ValueRef::Integer(i) => Value::BigInt(Some(i)),
            ValueRef::Real(f) => Value::Double(Some(f)),
            ValueRef::Text(_) => Value::String(Some(text(value)?.to_owned())),
            ValueRef::Blob(b) => Value::Bytes(Some(b.to_vec())),
        },
    })
}

fn text<'a>(value: ValueRef<'a>) -> Result<&'a str, String> {
    value.as_str().map_err(|e| e.to_string())
}

fn integer(value: ValueRef<'_>) -> Result<i64, String> {
    value.as_i64().map_err(|e| e.to_string())
}

/// sqlx stores a UUID as its 16 bytes; text is read too.
fn uuid(value: ValueRef<'_>) -> Result<uuid::Uuid, String> {
    match value {
        ValueRef::Blob(bytes) => uuid::Uuid::from_slice(bytes).map_err(|e| e.to_string()),
        _ => uuid::Uuid::parse_str(text(value)?).map_err(|e| e.to_string()),
    }
}

/// A time as sqlx reads one: RFC 3339, else the other forms SQLite writes.
fn time(value: ValueRef<'_>) -> Result<DateTime<Utc>, String> {
    let text = text(value)?;
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Ok(time.with_timezone(&Utc));
    }
    for format in ["%F %T%.f", "%F %R", "%F %T%.f%:z", "%FT%T%.f"] {
        if let Ok(time) = DateTime::parse_from_str(text, format) {
            return Ok(time.with_timezone(&Utc));
        }
        if let Ok(time) = NaiveDateTime::parse_from_str(text, format) {
            return Ok(Utc.from_utc_datetime(&time));
        }
    }
    Err(format!("{text:?} is not a time"))
}

/// The columns of `E`'s primary key.
pub(crate) fn primary_key<E: EntityTrait>() -> Vec<E::Column> {
    E::PrimaryKey::iter()
        .map(PrimaryKeyToColumn::into_column)
        .collect()
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait, TransactionTrait};

    use super::*;

    fn open() -> (tempfile::TempDir, Arc<InlineSqlite>, DatabaseConnection) {
        let dir = tempfile::tempdir().expect("a directory");
        let (inline, db) = InlineSqlite::open(&dir.path().join("inline.db")).expect("opened");
        (dir, inline, db)
    }

    async fn one_integer(db: &impl ConnectionTrait, sql: &str) -> i64 {
        db.query_one_raw(Statement::from_string(DbBackend::Sqlite, sql))
            .await
            .expect("read")
            .expect("a row")
            .try_get_by_index(0)
            .expect("an integer")
    }

    /// What sqlx is told for the writer's file: commits reach the disk, a
    /// deleted row is zeroed (an erased person is found nowhere), foreign
    /// keys hold; and a savepoint's journal is kept in memory, not on disk.
    #[tokio::test]
    async fn the_connection_commits_durably_and_zeroes_what_it_deletes() {
        let (_dir, _inline, db) = open();
        assert_eq!(one_integer(&db, "PRAGMA synchronous").await, 2, "FULL");
        assert_eq!(one_integer(&db, "PRAGMA secure_delete").await, 1);
        assert_eq!(one_integer(&db, "PRAGMA foreign_keys").await, 1);
        assert_eq!(one_integer(&db, "PRAGMA temp_store").await, 2, "MEMORY");
        let mode = db
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA journal_mode",
            ))
            .await
            .expect("read")
            .expect("a row")
            .try_get_by_index::<String>(0)
            .expect("text");
        assert_eq!(mode, "wal");
    }

    /// sea-orm answers `Ok` to a commit whatever happens: the failure is
    /// the connection's to report, and nothing of the transaction stays.
    #[tokio::test]
    async fn a_commit_that_fails_is_reported_and_leaves_nothing() {
        let (_dir, inline, db) = open();
        db.execute_unprepared(
            "CREATE TABLE parent (id INTEGER PRIMARY KEY); \
             CREATE TABLE child (parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);",
        )
        .await
        .expect("schema");
        let txn = db.begin().await.expect("begun");
        txn.execute_unprepared("INSERT INTO child VALUES (7)")
            .await
            .expect("deferred until the commit");
        txn.commit().await.expect("sea-orm sees no failure");
        let failure = inline.check().expect_err("the commit failed");
        assert!(failure.to_string().contains("FOREIGN KEY"), "{failure}");
        assert_eq!(one_integer(&db, "SELECT count(*) FROM child").await, 0);
        // The connection goes on: the next transaction commits.
        let txn = db.begin().await.expect("begun");
        txn.execute_unprepared("INSERT INTO parent VALUES (7); INSERT INTO child VALUES (7)")
            .await
            .expect("written");
        txn.commit().await.expect("committed");
        inline.check().expect("no failure");
        assert_eq!(one_integer(&db, "SELECT count(*) FROM child").await, 1);
    }

    /// A job's savepoint rolled back takes its writes with it, and only its.
    #[tokio::test]
    async fn a_savepoint_rolled_back_leaves_the_batch_s_other_writes() {
        let (_dir, inline, db) = open();
        db.execute_unprepared("CREATE TABLE t (n INTEGER)")
            .await
            .expect("schema");
        let batch = db.begin().await.expect("begun");
        let kept = batch.begin().await.expect("savepoint");
        kept.execute_unprepared("INSERT INTO t VALUES (1)")
            .await
            .expect("written");
        kept.commit().await.expect("released");
        let refused = batch.begin().await.expect("savepoint");
        refused
            .execute_unprepared("INSERT INTO t VALUES (2)")
            .await
            .expect("written");
        refused.rollback().await.expect("rolled back");
        {
            // Dropped without a commit, as a job that returned early.
            let dropped = batch.begin().await.expect("savepoint");
            dropped
                .execute_unprepared("INSERT INTO t VALUES (3)")
                .await
                .expect("written");
        }
        batch.commit().await.expect("committed");
        inline.check().expect("no failure");
        assert_eq!(one_integer(&db, "SELECT sum(n) FROM t").await, 1);
    }

    /// The writer's shortcuts write and read a model as sea-orm's own
    /// statements do, on the same connection.
    #[tokio::test]
    async fn the_shortcuts_write_and_read_as_sea_orm_does() {
        use entities::ledger_head;
        use sea_orm::ActiveValue::{NotSet, Set};

        let (_dir, inline, db) = open();
        db.execute_unprepared(
            "CREATE TABLE ledger_head (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL, hash TEXT NOT NULL)",
        )
        .await
        .expect("schema");
        let head = ledger_head::Model {
            id: 1,
            seq: 41,
            hash: "ab".into(),
        };
        inline
            .insert(ledger_head::ActiveModel::from(head.clone()))
            .expect("inserted");
        let by_sea_orm = ledger_head::Entity::find().all(&db).await.expect("read");
        assert_eq!(by_sea_orm, vec![head.clone()]);
        let found = inline.find_by::<ledger_head::Entity>(ledger_head::Column::Id, 1.into());
        assert_eq!(found.expect("found"), vec![head]);

        let moved = inline.update_by::<ledger_head::Entity>(
            ledger_head::Column::Id,
            1.into(),
            &[
                (ledger_head::Column::Seq, 42i64.into()),
                (ledger_head::Column::Hash, "cd".into()),
            ],
        );
        assert_eq!(moved.expect("updated"), 1);
        let none = inline.update_by::<ledger_head::Entity>(
            ledger_head::Column::Id,
            2.into(),
            &[(ledger_head::Column::Seq, 0i64.into())],
        );
        assert_eq!(none.expect("updated"), 0);
        let read = ledger_head::Entity::find_by_id(1)
            .one(&db)
            .await
            .expect("read");
        assert_eq!(read.map(|h| (h.seq, h.hash)), Some((42, "cd".to_owned())));

        // A column not set would be written as nothing: refused, not guessed.
        let partial = ledger_head::ActiveModel {
            id: Set(3),
            seq: NotSet,
            hash: Set("ef".into()),
        };
        let refused = inline.insert(partial).expect_err("seq is not set");
        assert!(refused.to_string().contains("ledger_head.seq"), "{refused}");
    }

    /// A counter's row is inserted, then added to, as sea-orm's
    /// `on_conflict` (the other path of `Conn::add_to`) does.
    #[tokio::test]
    async fn adding_to_a_row_sums_as_sea_orm_does() {
        use entities::daily_tally::{ActiveModel, Column, Entity};
        use sea_orm::{QueryOrder, Set, TransactionTrait};

        let day = NaiveDate::from_ymd_opt(2026, 12, 7).expect("a day");
        let site = uuid::Uuid::now_v7();
        let mut read = Vec::new();
        for inline_path in [true, false] {
            let (_dir, inline, db) = open();
            db.execute_unprepared(
                "CREATE TABLE daily_tallies (day TEXT NOT NULL, site_id BLOB NOT NULL, \
                 measure TEXT NOT NULL, kind TEXT NOT NULL, donor_kind TEXT NOT NULL, \
                 count INTEGER NOT NULL, recorded_g INTEGER NOT NULL, weighed INTEGER NOT NULL, \
                 PRIMARY KEY (day, site_id, measure, kind, donor_kind))",
            )
            .await
            .expect("schema");
            let txn = db.begin().await.expect("begun");
            let conn = crate::db::conn::Conn::new(txn, inline_path.then(|| Arc::clone(&inline)));
            for (kind, count, recorded_g) in [
                ("laptop", 1, 2_000),
                ("laptop", 1, 0),
                ("phone", 1, 150),
                ("laptop", -1, -2_000),
            ] {
                let row = ActiveModel {
                    day: Set(day),
                    site_id: Set(site),
                    measure: Set("collected".into()),
                    kind: Set(kind.into()),
                    donor_kind: Set("none".into()),
                    count: Set(count),
                    recorded_g: Set(recorded_g),
                    weighed: Set(i64::from(recorded_g != 0) * count),
                };
                conn.add_to(row).await.expect("added");
            }
            conn.into_transaction().commit().await.expect("committed");
            let rows = Entity::find().order_by_asc(Column::Kind).all(&db).await;
            read.push(rows.expect("read"));
        }
        let sums: Vec<_> = read[0]
            .iter()
            .map(|t| (t.kind.as_str(), t.count, t.recorded_g, t.weighed))
            .collect();
        assert_eq!(sums, [("laptop", 1, 0, 0), ("phone", 1, 150, 1)]);
        assert_eq!(read[0], read[1], "the inline path, then sea-orm's");
    }

    /// Statement shapes are kept within bounds, and a statement whose shape
    /// was dropped is read as well as before.
    #[tokio::test]
    async fn statement_shapes_stay_within_bounds() {
        let (_dir, inline, db) = open();
        for n in 0..=SHAPES_KEPT + 10 {
            let sql = format!("SELECT {n} AS n");
            assert_eq!(one_integer(&db, &sql).await, n as i64);
        }
        let kept = inline.lock().expect("the connection").shapes.len();
        assert!((1..=SHAPES_KEPT).contains(&kept), "{kept} shapes kept");
        assert_eq!(one_integer(&db, "SELECT 0 AS n").await, 0);
    }
}
