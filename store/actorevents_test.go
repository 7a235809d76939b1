package store_test

import (
	"context"
	"strings"
	"testing"

	"minyi/internal/testdb"
	"minyi/store"
)

// TestCountActorRecordsReadsTheActorIndex: a member's record counts the
// items they answered in a year; on a log of millions of events that must
// be one range of the index by actor (events_actor, migration 30), not
// every event of the year. The query's plan names the index on both
// databases.
func TestCountActorRecordsReadsTheActorIndex(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// The query with its arguments written in: EXPLAIN takes none on
		// PostgreSQL's simple protocol.
		q := store.CountActorRecordsQuery
		for _, arg := range []string{"'officer-a'", "'items'", "'answered'", "0", "9999999999999999"} {
			q = strings.Replace(q, "?", arg, 1)
		}
		conn, err := testdb.Raw(t, db).Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		explain := "EXPLAIN QUERY PLAN "
		if db.Dialect() == "postgres" {
			// An empty table is read whole whatever its indexes: ask what
			// the planner does where reading it whole is not an option.
			if _, err := conn.ExecContext(ctx, "SET enable_seqscan = off"); err != nil {
				t.Fatal(err)
			}
			defer conn.ExecContext(ctx, "RESET enable_seqscan")
			explain = "EXPLAIN "
		}
		rows, err := conn.QueryContext(ctx, explain+q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var plan strings.Builder
		for rows.Next() {
			vals := make([]any, len(cols))
			for i := range vals {
				vals[i] = new(any)
			}
			if err := rows.Scan(vals...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				plan.WriteString(strings.TrimSpace(toString(*v.(*any))) + " ")
			}
			plan.WriteString("\n")
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(plan.String(), "events_actor") {
			t.Errorf("the query does not read events_actor:\n%s", plan.String())
		}
	})
}

func toString(v any) string {
	switch x := v.(type) {
	case []byte:
		return string(x)
	case string:
		return x
	}
	return ""
}
