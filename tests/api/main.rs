//! Retrace's HTTP API, tested end to end in-process, on SQLite by default
//! and on PostgreSQL when `RETRACE_TEST_DATABASE_URL` is set.

// A test that cannot read what it expects should stop right there.
#![expect(clippy::unwrap_used)]

mod access;
mod headers;
mod helpers;
mod html;

mod allocations;
mod asset_lists;
mod audit;
mod auth;
mod backup;
mod certificates;
mod concurrency;
mod demo;
mod devices;
mod donors_and_lots;
mod end_of_life;
mod erasures;
mod exports;
mod files;
mod idempotency;
mod labels;
mod ledger;
mod lifecycle;
mod malformed;
mod markers;
mod matrix;
mod media;
mod metrics;
mod network;
mod openapi;
mod opendata;
mod pages;
mod people;
mod portal;
mod privacy;
mod replay;
mod reports;
mod retention;
mod roles;
mod scan;
mod sites;
mod statements;
mod stock_audits;
mod upgrade;
mod users;
mod web;
mod web_bench;
mod web_dispatch;
mod web_erasure;
mod web_home;
mod web_intake;
mod web_people;
mod workforce;
mod world;
mod writer_connection;
mod writes;
