// Package deliverytest holds the peers that the delivery tests run
// against: a fault-injecting SMTP server of our own (SMTPServer: scripted
// 421/451/454/550 replies, dropped connections, stalls, down periods), an
// httptest webhook receiver that verifies Standard Webhooks signatures and
// counts webhook-ids (Receiver), and a helper that runs a real Mailpit
// (StartMailpit) and reads its API. Campaign and tracking tests use them
// too.
package deliverytest
