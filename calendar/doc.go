// Package calendar does working-day arithmetic on the official Chinese
// calendar, for the time limits (时限) that apply to citizens' items.
//
// # Calendar data
//
// A Calendar is built from entries that say how a date differs from the
// Monday–Friday week: Holiday marks a public holiday or adjusted day off,
// Workday marks a weekend day made a working day (调休上班). Every other
// Monday–Friday is a working day and every other Saturday and Sunday is not.
// The embedded cn-holidays.csv (see DefaultEntries) holds the State Council
// schedule for the years it lists; Years reports which years those are.
//
// The schedule for a year is only published late in the previous year, so
// the package never pretends to know a year it has no entries for: such a
// year falls back to the plain weekday rule and is reported in
// Due.UncoveredYears, and callers are expected to warn loudly about it.
//
// # Due times
//
// All arithmetic is done in Zone (China Standard Time) and Due.At is in Zone,
// whatever location the start time carries.
//
//   - WorkingDays, Amount n ≥ 1: the limit ends at office End on the n-th
//     working day after the start's date; the day of receipt does not count,
//     whatever the time of receipt.
//   - WorkingDays, Amount 0 (当日, "same working day", for urgent items): the
//     limit ends at office End of the start's date if that date is a working
//     day and the start is before End; otherwise at office End of the next
//     working day.
//   - WorkingHours, Amount h: only time inside office hours on working days
//     counts, beginning at the start (or at the next office Start if the start
//     is outside office hours). The limit ends at the instant the h-th working
//     hour is completed, which may be exactly office End; it never rolls over
//     to the next morning just because no time is left.
//
// Every year from the start's date to the due date that has no entries is
// listed once, sorted, in Due.UncoveredYears.
//
// A corrupt calendar (for example one that marks years of days as holidays)
// could make the walk run forever, so it stops after three years of days.
// It then returns office End of the last day it walked with Incomplete set;
// that At is not a real due time. An invalid Limit is not computed at all:
// At is the start and Incomplete is set.
//
// An extension adds to the current due time, not to the start
// (DueAfterExtension).
package calendar
