package config

import (
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Server configures `chorus serve`: the one HTTP server of the tracking
// routes, the API and the console.
type Server struct {
	// Addr is the listen address (HOST:PORT; --addr overrides it).
	Addr string `yaml:"addr"`
	// TrustedProxies are the CIDR ranges of reverse proxies whose
	// X-Forwarded-For header names the client (for per-address rate
	// limits); requests from anywhere else are judged by their own
	// address.
	TrustedProxies []string `yaml:"trusted_proxies"`
	// ShutdownTimeout is how long a stopping server waits for requests in
	// flight before it closes their connections.
	ShutdownTimeout Duration `yaml:"shutdown_timeout"`
	// CookieSecure marks the console's session cookie Secure even when
	// the request came over plain HTTP (a TLS-terminating proxy in front);
	// a TLS request always gets a Secure cookie.
	CookieSecure bool `yaml:"cookie_secure"`
}

func defaultServer() Server {
	return Server{Addr: "127.0.0.1:8080", ShutdownTimeout: Duration(20 * time.Second)}
}

// applyEnv reads CHORUS_SERVER_ADDR, CHORUS_SERVER_TRUSTED_PROXIES
// (comma-separated), CHORUS_SERVER_SHUTDOWN_TIMEOUT and
// CHORUS_SERVER_COOKIE_SECURE.
func (s *Server) applyEnv(env Lookup) error {
	envString(env, &s.Addr, "CHORUS_SERVER_ADDR")
	if v, ok := env("CHORUS_SERVER_TRUSTED_PROXIES"); ok && v != "" {
		s.TrustedProxies = splitList(v, ",")
	}
	if err := envBool(env, &s.CookieSecure, "CHORUS_SERVER_COOKIE_SECURE"); err != nil {
		return err
	}
	return envDuration(env, &s.ShutdownTimeout, "CHORUS_SERVER_SHUTDOWN_TIMEOUT")
}

func (s Server) validate() error {
	if _, _, err := net.SplitHostPort(s.Addr); err != nil {
		return apperr.New(apperr.Invalid, "server.addr %q must be HOST:PORT, e.g. 127.0.0.1:8080 or :8080 (CHORUS_SERVER_ADDR, --addr)", s.Addr)
	}
	for i, p := range s.TrustedProxies {
		if _, err := netip.ParsePrefix(strings.TrimSpace(p)); err != nil {
			return apperr.New(apperr.Invalid, "server.trusted_proxies[%d] %q is not a CIDR range such as 10.0.0.0/8", i, p)
		}
	}
	if s.ShutdownTimeout.Std() < 0 {
		return apperr.New(apperr.Invalid, "server.shutdown_timeout may not be negative")
	}
	return nil
}
