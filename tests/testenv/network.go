package testenv

// TwoTesters is a bundled network's testnet.toml with the two testers the
// tests write between, Alain Dupont (Belgium) and Marie Curie (France), and
// the seed's relays: small enough to start quickly, under Wine too.
const TwoTesters = `
auth_failure_delay = "20ms"

[[country]]
code = "B"
[[country.tester]]
name = "Alain.Dupont"

[[country]]
code = "F"
[[country.tester]]
name = "Marie.Curie"
`
