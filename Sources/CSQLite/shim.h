#ifndef TURNGATE_CSQLITE_SHIM_H
#define TURNGATE_CSQLITE_SHIM_H

// The only C surface TurnGate uses: SQLite 3 (Debian 12's libsqlite3-dev), for coturn's
// user database. TURNSQLite calls sqlite3_open_v2, sqlite3_busy_timeout, sqlite3_exec (the
// schema only), sqlite3_prepare_v2 with bound parameters, sqlite3_step, sqlite3_column_text,
// sqlite3_finalize, sqlite3_errmsg and sqlite3_close_v2.
#include <sqlite3.h>

#endif
