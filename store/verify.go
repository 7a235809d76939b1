package store

import (
	"context"

	"minyi/eventlog"
)

// Verify walks the whole event log, every register's events, in order and
// checks the hash chain (eventlog.Verifier). It returns the number of
// events checked and an *eventlog.ChainError naming the register, record
// and seq of the first break.
func (db *DB) Verify(ctx context.Context) (int64, error) {
	v, err := db.verify(ctx)
	return v.Checked(), err
}

// VerifyByRegister checks the log as Verify does and returns how many
// events of each register it checked.
func (db *DB) VerifyByRegister(ctx context.Context) (map[string]int64, error) {
	v, err := db.verify(ctx)
	return v.ByRegister(), err
}

func (db *DB) verify(ctx context.Context) (*eventlog.Verifier, error) {
	v := eventlog.NewVerifier()
	rows, err := db.query(ctx, "SELECT "+eventColumns+" FROM events ORDER BY seq")
	if err != nil {
		return v, wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanLogEvent(rows)
		if err != nil {
			return v, &eventlog.ChainError{Seq: v.Checked() + 1, Reason: "unreadable: " + err.Error()}
		}
		if err := v.Next(e); err != nil {
			return v, err
		}
	}
	if err := rows.Err(); err != nil {
		return v, wrap(err)
	}
	var headSeq int64
	var headHash string
	if err := db.queryRow(ctx, "SELECT seq, hash FROM chain_head WHERE id = 1").Scan(&headSeq, &headHash); err != nil {
		return v, wrap(err)
	}
	return v, v.Head(headSeq, headHash)
}
