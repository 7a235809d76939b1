// Package demo loads the demo bureau — the Otog Banner Public Security Bureau
// (鄂托克旗公安局) of the seed report — into an empty database, so that a
// newcomer sees a working system with a year of history instead of blank
// pages.
//
// Everything is written through the domain services (org, archive, the
// ledgers' matter, measure, servicepoint and volunteer), never straight into
// tables: every item is filed with Submit and moved with Act on a simulated
// clock, so it has a real event history and takes its place in the hash
// chain exactly as a live item would. The figures of January to October 2021
// match the seed: 60 opinions collected and 60 answered and closed out, 137
// questions answered on the 24-hour police desk; and the campaign
// “我为群众办实事” as of the report's day, 2021-11-02: 404 practical matters
// done, 289 of them led by a named officer, 27 convenience measures
// implemented, 8 service points, 1,126 volunteer activities, and the four
// stories of the report as matters with their counted outcomes; and the
// 173 disputes found in January to October, 156 of them resolved.
//
// Loading is deterministic: a fixed seed drives every choice, so two loads
// give the same items, texts, times and event hashes (only secrets such as
// password salts, access codes and API tokens differ).
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/booking"
	"minyi/calendar"
	"minyi/campaign"
	"minyi/dispute"
	"minyi/indicator"
	"minyi/matter"
	"minyi/measure"
	"minyi/onestop"
	"minyi/org"
	"minyi/publicity"
	"minyi/servicepoint"
	"minyi/survey"
	"minyi/volunteer"
)

// Env is what the loader writes through.
type Env struct {
	Store interface {
		org.Store
		archive.Store
		archive.ConfigStore
		matter.Store
		measure.Store
		campaign.Store
		volunteer.Store
		servicepoint.Store
		onestop.Store
		dispute.Store
		survey.Store
		booking.Store
		publicity.Store
		indicator.Store
	}
	// Policy carries the calendar used for time limits and for choosing
	// working days; a nil Calendar means calendar.Default().
	Policy archive.Policy
}

// Login is one demo account to print for a newcomer.
type Login struct {
	Name, DisplayName, Role, Unit, Password string
}

// Result tells what was loaded.
type Result struct {
	Logins     []Login
	AdminToken string
	Items      int
}

// Password is the shared password of all demo accounts. It is published in
// the documentation and printed on loading, so a demo database must never
// hold real data or face the internet.
const Password = "minyi-demo-2021"

// DutyPhone is the demo bureau's duty phone, set in its settings like any
// bureau's (archive.SettingDutyPhone): a made-up number in the local format.
const DutyPhone = "0477-6212110"

// ICPFiling and PSBFiling are the demo site's filing numbers in the
// footer (archive.SettingICPFiling, SettingPSBFiling): samples in the
// format of the region's numbers, not real filings.
const (
	ICPFiling = "蒙ICP备00000000号-1"
	PSBFiling = "蒙公网安备15062400000000号"
)

// Part is one share of the seed's figures; later ledgers (disputes,
// publicity…) add their own Part to Parts.
type Part interface {
	Name() string
	Load(ctx context.Context, l *Loader) error
}

// Parts are loaded in order. The organisation is written at once; the
// archive and the ledgers plan their year onto the loader's timeline
// (Loader.At), which replayPart writes in time order, so that the one log
// reads like a real year with items and ledgers interleaved. A part that
// plans goes before replayPart and may rely on what earlier parts planned;
// a part after it sees everything written.
var Parts = []Part{organisationPart{}, archivePart{}, ledgerPart{}, onestopPart{}, disputePart{}, surveyPart{}, bookingsPart{}, publicityPart{}, replayPart{}}

// The seed: the RNG is seeded with the report's publication date so that
// every load makes the same choices.
const (
	seedHi = 20211102
	seedLo = 1228
)

// PeriodStart and PeriodEnd bound the working days on which demo items are
// received: the first and the last working day of the seed's January–October
// 2021 reporting period.
var (
	PeriodStart = time.Date(2021, 1, 4, 0, 0, 0, 0, calendar.Zone)
	PeriodEnd   = time.Date(2021, 10, 29, 0, 0, 0, 0, calendar.Zone)
)

// Loader carries shared state between parts: the environment, a
// deterministic RNG, the result, the staff, and a simulated clock that the
// archive service reads as its Now; the ledgers' services read it too.
type Loader struct {
	Env    Env
	Rand   *rand.Rand
	Result Result
	// Archive is the archive service the parts file and move items with; its
	// clock is the loader's, so every event carries simulated time.
	Archive *archive.Service

	clock time.Time
	users map[string]org.User
	order []string // user names in creation order, for deterministic lookups

	// timeline holds the planned writes until replayPart runs them; archive
	// is the archive's plan, whose opinions the ledgers answer.
	timeline []timed
	archive  *plan
}

// timed is one planned write of the demo's year.
type timed struct {
	at time.Time
	do func(ctx context.Context) error
}

// At plans do for the simulated time at: replayPart runs the writes of
// every part in time order, those planned for the same time in the order
// they were planned, with the clock at their time.
func (l *Loader) At(at time.Time, do func(ctx context.Context) error) {
	l.timeline = append(l.timeline, timed{at, do})
}

// replayPart writes what the parts before it planned, in time order.
type replayPart struct{}

func (replayPart) Name() string { return "replay" }

func (replayPart) Load(ctx context.Context, l *Loader) error {
	slices.SortStableFunc(l.timeline, func(a, b timed) int { return a.at.Compare(b.at) })
	for _, t := range l.timeline {
		if t.at.After(l.Now()) {
			l.SetNow(t.at)
		}
		if err := t.do(ctx); err != nil {
			return err
		}
	}
	l.timeline = nil
	return nil
}

// NewLoader returns a loader over env with a fresh RNG and the clock at the
// start of the period.
func NewLoader(env Env) *Loader {
	if env.Policy.Calendar == nil {
		env.Policy.Calendar = calendar.Default()
	}
	l := &Loader{
		Env:   env,
		Rand:  rand.New(rand.NewPCG(seedHi, seedLo)),
		clock: PeriodStart.Add(env.Policy.Calendar.Hours().Start),
		users: map[string]org.User{},
	}
	l.Archive = archive.NewService(env.Store, env.Policy)
	l.Archive.Now = l.Now
	return l
}

// Load loads every part. It refuses (error) a database that already has
// units, because the demo must never mix with real data; a failure part-way
// leaves what was written so far, so load into a fresh database.
func Load(ctx context.Context, env Env) (Result, error) {
	units, err := env.Store.Units(ctx)
	if err != nil {
		return Result{}, err
	}
	if len(units) > 0 {
		return Result{}, minyi.Errorf(minyi.EConflict,
			"数据库中已有%d个单位，演示数据只能载入空数据库 / the database already has %d units; the demo loads only into an empty database",
			len(units), len(units))
	}
	l := NewLoader(env)
	for _, p := range Parts {
		if err := p.Load(ctx, l); err != nil {
			return l.Result, fmt.Errorf("demo part %s: %w", p.Name(), err)
		}
	}
	return l.Result, nil
}

// Now is the simulated clock.
func (l *Loader) Now() time.Time { return l.clock }

// SetNow moves the simulated clock. Parts move it forward only, so that the
// event log reads in time order.
func (l *Loader) SetNow(t time.Time) { l.clock = t }

// Calendar is the calendar the loader plans with.
func (l *Loader) Calendar() *calendar.Calendar { return l.Env.Policy.Calendar }

// User returns a demo account by login name.
func (l *Loader) User(name string) (org.User, error) {
	u, ok := l.users[name]
	if !ok {
		return org.User{}, minyi.Errorf(minyi.ENotFound, "demo user %s not found", name)
	}
	return u, nil
}

// Staff returns the first account of the unit with one of the roles, in the
// order given, so that parts can name "whoever signs for this unit".
func (l *Loader) Staff(unit string, roles ...org.Role) (org.User, bool) {
	for _, r := range roles {
		for _, name := range l.order {
			if u := l.users[name]; u.UnitCode == unit && u.Role == r {
				return u, true
			}
		}
	}
	return org.User{}, false
}

// addUser remembers an account created by the organisation part.
func (l *Loader) addUser(u org.User) {
	l.users[u.Name] = u
	l.order = append(l.order, u.Name)
}

// midnight returns the start of t's day in China time.
func midnight(t time.Time) time.Time {
	t = t.In(calendar.Zone)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, calendar.Zone)
}

// WorkingDays lists the working days from from to to inclusive, as midnights
// in China time.
func (l *Loader) WorkingDays(from, to time.Time) []time.Time {
	var out []time.Time
	for d := midnight(from); !d.After(to); d = d.AddDate(0, 0, 1) {
		if l.Calendar().IsWorkingDay(d) {
			out = append(out, d)
		}
	}
	return out
}

// WorkingDay picks a working day between from and to inclusive (midnight,
// China time); it returns the zero time when there is none.
func (l *Loader) WorkingDay(from, to time.Time) time.Time {
	days := l.WorkingDays(from, to)
	if len(days) == 0 {
		return time.Time{}
	}
	return days[l.Rand.IntN(len(days))]
}

// OnOrAfterWorkingDay returns d's midnight if d is a working day, otherwise
// the next working day's, so that fixed dates from the seed land on days the
// bureau's offices were open.
func (l *Loader) OnOrAfterWorkingDay(d time.Time) time.Time {
	d = midnight(d)
	for !l.Calendar().IsWorkingDay(d) {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// OfficeTime picks a whole minute within office hours on day, leaving the
// last half hour free so that the first action can follow the same day.
func (l *Loader) OfficeTime(day time.Time) time.Time {
	h := l.Calendar().Hours()
	span := int((h.End - h.Start - 30*time.Minute) / time.Minute)
	return midnight(day).Add(h.Start + time.Duration(l.Rand.IntN(span))*time.Minute)
}

// Between picks a duration in [lo, hi] in whole minutes.
func (l *Loader) Between(lo, hi time.Duration) time.Duration {
	if hi <= lo {
		return lo
	}
	n := int((hi - lo) / time.Minute)
	return lo + time.Duration(l.Rand.IntN(n+1))*time.Minute
}

// Chance reports true with probability p.
func (l *Loader) Chance(p float64) bool { return l.Rand.Float64() < p }

// WorkingAfter returns the instant d of office time after t: evenings,
// weekends and holidays do not count, which is how staff time passes. A t
// outside office hours first moves to the next opening.
func (l *Loader) WorkingAfter(t time.Time, d time.Duration) time.Time {
	cal := l.Calendar()
	h := cal.Hours()
	t = t.In(calendar.Zone)
	for day := midnight(t); ; day = day.AddDate(0, 0, 1) {
		if !cal.IsWorkingDay(day) {
			continue
		}
		open, closing := day.Add(h.Start), day.Add(h.End)
		if t.Before(open) {
			t = open
		}
		if t.Before(closing) || (t.Equal(closing) && d == 0) {
			if avail := closing.Sub(t); d <= avail {
				return t.Add(d)
			}
			d -= closing.Sub(t)
		}
		t = day.AddDate(0, 0, 1)
	}
}

// WorkingBetween returns how much office time lies between a and b (zero
// when b is not after a).
func (l *Loader) WorkingBetween(a, b time.Time) time.Duration {
	cal := l.Calendar()
	h := cal.Hours()
	var sum time.Duration
	for day := midnight(a); day.Before(b); day = day.AddDate(0, 0, 1) {
		if !cal.IsWorkingDay(day) {
			continue
		}
		from, to := later(a, day.Add(h.Start)), earlier(b, day.Add(h.End))
		if to.After(from) {
			sum += to.Sub(from)
		}
	}
	return sum
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// pick returns a random element of xs.
func pick[T any](l *Loader, xs []T) T { return xs[l.Rand.IntN(len(xs))] }

// shuffled returns a shuffled copy of xs.
func shuffled[T any](l *Loader, xs []T) []T {
	out := slices.Clone(xs)
	l.Rand.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}
