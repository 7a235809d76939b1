// Package riverqueue runs minyi's deliveries on River, a job queue kept in
// the same database as the archive (SQLite or PostgreSQL). Jobs are inserted
// in the transaction that writes the outbox rows they deliver, so a crash
// can neither lose a delivery nor invent one; River retries with back-off
// and rescues the jobs of a server that died mid-delivery.
package riverqueue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"minyi/outbox"
	"minyi/store"
)

// Options tune the queue; the zero value is what minyi serves with.
type Options struct {
	Workers      int           // deliveries at once (default 100)
	PollInterval time.Duration // how often to look for new jobs (default 25 ms)
	MaxAttempts  int           // per delivery before it is marked failed (default 20, about two hours)
	Log          *slog.Logger
	// Periodic is work to run now and then (the scheduled reports).
	Periodic []Periodic
}

// Periodic is work the queue runs every Every, and when a server starts:
// only the elected leader of the servers sharing the database inserts the
// job, and a job of the same name within the same period is not inserted
// again (River's uniqueness), so one server runs it at a time. Run must
// itself be safe to repeat (the scheduled reports are issued once by key).
type Periodic struct {
	Name  string
	Every time.Duration
	Run   func(ctx context.Context) error
}

type periodicArgs struct {
	Name string `json:"name" river:"unique"`
}

// JobPeriodic is the kind of the periodic jobs.
const JobPeriodic = "periodic"

func (periodicArgs) Kind() string { return JobPeriodic }

// periodicWorker runs a Periodic by its name.
type periodicWorker struct {
	river.WorkerDefaults[periodicArgs]
	runs map[string]func(context.Context) error
}

func (w *periodicWorker) Work(ctx context.Context, job *river.Job[periodicArgs]) error {
	run, ok := w.runs[job.Args.Name]
	if !ok {
		return river.JobCancel(fmt.Errorf("job queue: no periodic work %q", job.Args.Name))
	}
	return run(ctx)
}

// periodicJobs are River's periodic jobs of ps, and their worker.
func periodicJobs(ps []Periodic) ([]*river.PeriodicJob, *periodicWorker) {
	w := &periodicWorker{runs: map[string]func(context.Context) error{}}
	var jobs []*river.PeriodicJob
	for _, p := range ps {
		w.runs[p.Name] = p.Run
		args, every := periodicArgs{Name: p.Name}, p.Every
		jobs = append(jobs, river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
			return args, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: every}}
		}, &river.PeriodicJobOpts{ID: p.Name, RunOnStart: true}))
	}
	return jobs, w
}

// Queue is the River client delivering minyi's outbox.
type Queue struct {
	client *river.Client[*sql.Tx]
}

type noticeArgs struct {
	ID int64 `json:"id"`
}

func (noticeArgs) Kind() string { return store.JobNotice }

type webhookArgs struct {
	ID int64 `json:"id"`
}

func (webhookArgs) Kind() string { return store.JobWebhook }

// New migrates River's tables in db and returns a queue whose workers hand
// jobs to d. It does not start working until Start.
func New(ctx context.Context, db *store.DB, d *outbox.Deliverer, o Options) (*Queue, error) {
	var driver riverdriver.Driver[*sql.Tx]
	if db.Dialect() == "sqlite" {
		// River on SQLite shares our single writer connection, as its
		// documentation advises: one connection means no lock contention.
		driver = riversqlite.New(db.Writer())
	} else {
		driver = riverdatabasesql.New(db.Writer())
	}
	migrator, err := rivermigrate.New(driver, nil)
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return nil, fmt.Errorf("job queue: migrate: %w", err)
	}
	if o.Workers <= 0 {
		o.Workers = 100
	}
	if o.PollInterval <= 0 {
		o.PollInterval = 25 * time.Millisecond
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 20
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	workers := river.NewWorkers()
	sqlite := db.Dialect() == "sqlite"
	river.AddWorker(workers, &noticeWorker{d: d, complete: completeTx[noticeArgs](sqlite)})
	river.AddWorker(workers, &webhookWorker{d: d, complete: completeTx[webhookArgs](sqlite)})
	periodic, pw := periodicJobs(o.Periodic)
	river.AddWorker(workers, pw)
	client, err := river.NewClient(driver, &river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: o.Workers}},
		Workers:           workers,
		PeriodicJobs:      periodic,
		FetchCooldown:     o.PollInterval / 5,
		FetchPollInterval: o.PollInterval,
		MaxAttempts:       o.MaxAttempts,
		RetryPolicy:       backoff{},
		// A delivery is one HTTP call with a 10 s timeout; a job still
		// marked running well after that belonged to a server that died
		// (or whose last word River had not yet written down), and is
		// handed over again.
		JobTimeout:           15 * time.Second,
		RescueStuckJobsAfter: 20 * time.Second,
		// River's own log is chatty at info level; its warnings matter.
		Logger: slog.New(levelFloor{o.Log.Handler(), slog.LevelWarn}),
	})
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	return &Queue{client: client}, nil
}

// Start begins working jobs; it returns at once.
func (q *Queue) Start(ctx context.Context) error { return q.client.Start(ctx) }

// Stop waits for running deliveries to finish (or ctx to end).
func (q *Queue) Stop(ctx context.Context) error { return q.client.Stop(ctx) }

// InsertTx queues jobs in tx (store.JobQueue).
func (q *Queue) InsertTx(ctx context.Context, tx *sql.Tx, jobs []store.Job) error {
	params := make([]river.InsertManyParams, 0, len(jobs))
	for _, j := range jobs {
		var args river.JobArgs
		switch j.Kind {
		case store.JobNotice:
			args = noticeArgs{ID: j.ID}
		case store.JobWebhook:
			args = webhookArgs{ID: j.ID}
		default:
			return fmt.Errorf("job queue: unknown job kind %q", j.Kind)
		}
		params = append(params, river.InsertManyParams{Args: args})
	}
	_, err := q.client.InsertManyTx(ctx, tx, params)
	return err
}

// completeTx marks a job done inside tx, for the driver in use.
func completeTx[A river.JobArgs](sqlite bool) func(context.Context, *sql.Tx, *river.Job[A]) error {
	if sqlite {
		return func(ctx context.Context, tx *sql.Tx, job *river.Job[A]) error {
			_, err := river.JobCompleteTx[*riversqlite.Driver](ctx, tx, job)
			return err
		}
	}
	return func(ctx context.Context, tx *sql.Tx, job *river.Job[A]) error {
		_, err := river.JobCompleteTx[*riverdatabasesql.Driver](ctx, tx, job)
		return err
	}
}

// recordWith has the store complete job in the transaction that records a
// successful delivery: River would otherwise commit each completion alone,
// one disk flush per notice on SQLite.
func recordWith[A river.JobArgs](ctx context.Context, job *river.Job[A], complete func(context.Context, *sql.Tx, *river.Job[A]) error) context.Context {
	return store.WithRecordHook(ctx, func(tx *sql.Tx) error { return complete(context.WithoutCancel(ctx), tx, job) })
}

type noticeWorker struct {
	river.WorkerDefaults[noticeArgs]
	d        *outbox.Deliverer
	complete func(context.Context, *sql.Tx, *river.Job[noticeArgs]) error
}

func (w *noticeWorker) Work(ctx context.Context, job *river.Job[noticeArgs]) error {
	return w.d.DeliverNotice(recordWith(ctx, job, w.complete), job.Args.ID, job.Attempt >= job.MaxAttempts)
}

type webhookWorker struct {
	river.WorkerDefaults[webhookArgs]
	d        *outbox.Deliverer
	complete func(context.Context, *sql.Tx, *river.Job[webhookArgs]) error
}

func (w *webhookWorker) Work(ctx context.Context, job *river.Job[webhookArgs]) error {
	err := w.d.DeliverWebhook(recordWith(ctx, job, w.complete), job.Args.ID, job.Attempt >= job.MaxAttempts)
	if errors.Is(err, outbox.ErrWaitForEarlier) {
		return river.JobSnooze(500 * time.Millisecond)
	}
	return err
}

// backoff retries after 1, 2, 4 … seconds, at most ten minutes apart, with
// a tenth of jitter so that retries after an outage do not arrive at once.
type backoff struct{}

func (backoff) NextRetry(job *rivertype.JobRow) time.Time {
	attempt := max(len(job.Errors), 1)
	d := time.Second << min(attempt-1, 10)
	d = min(d, 10*time.Minute)
	d += time.Duration(rand.Int64N(int64(d/10) + 1))
	return time.Now().Add(d)
}

// levelFloor drops records below a level.
type levelFloor struct {
	slog.Handler
	min slog.Level
}

func (h levelFloor) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h levelFloor) WithAttrs(a []slog.Attr) slog.Handler {
	return levelFloor{h.Handler.WithAttrs(a), h.min}
}

func (h levelFloor) WithGroup(g string) slog.Handler {
	return levelFloor{h.Handler.WithGroup(g), h.min}
}
