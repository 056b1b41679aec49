//! Integration tests: real workspace files in temp dirs, the real CLI binary.
mod audit_trail;
mod award;
mod calendar;
mod cli;
mod crash;
mod evaluation;
mod finance;
mod migration;
mod ocds;
mod papers;
mod pdf;
mod route;
mod support;
mod tender;
mod transitions;
mod tupe;
