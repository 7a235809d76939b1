package store

// OpenTerm lets the tests take an open item's marker out of the index, as
// an archive written before migration 13 has it.
const OpenTerm = openTerm
