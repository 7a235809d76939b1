package store

// OpenTerm lets the tests take an open item's marker out of the index, as
// an archive written before migration 13 has it.
const OpenTerm = openTerm

// CountActorRecordsQuery is the query of CountActorRecords, for the test
// that it reads the index by actor.
const CountActorRecordsQuery = countActorRecords
