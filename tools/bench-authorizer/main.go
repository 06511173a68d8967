// The sidecar authorizer of `make bench`'s auth-request point (docs/testing.md §6): what an
// operator would otherwise put behind nginx's auth_request, built only for this comparison.
// For each request it does the module's cache lookup — the bearer token's SHA-512 in an
// in-memory table, filled from Redis on a miss (the module's `tcal_oidc_hash_<hex>` hashes) —
// and answers 204 with X-Twake-User, or 401.
//
//	bench-authorizer -listen 127.0.0.1:9000 -redis 127.0.0.1:6379 -audience tcalendar
package main

import (
	"bufio"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

type entry struct {
	email string
	exp   int64
	aud   []string
}

type authorizer struct {
	audience string
	redis    string
	mu       sync.RWMutex
	cache    map[string]entry
	pool     chan *redisConn
}

type redisConn struct {
	conn net.Conn
	r    *bufio.Reader
}

func (a *authorizer) connection() (*redisConn, error) {
	select {
	case c := <-a.pool:
		return c, nil
	default:
		conn, err := net.DialTimeout("tcp", a.redis, time.Second)
		if err != nil {
			return nil, err
		}
		return &redisConn{conn, bufio.NewReader(conn)}, nil
	}
}

func (a *authorizer) release(c *redisConn) {
	select {
	case a.pool <- c:
	default:
		c.conn.Close()
	}
}

// HGETALL key, answered as a RESP array of bulk strings.
func (c *redisConn) hgetall(key string) (map[string]string, error) {
	fmt.Fprintf(c.conn, "*2\r\n$7\r\nHGETALL\r\n$%d\r\n%s\r\n", len(key), key)
	line, err := c.r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(line, "*") {
		return nil, errors.New("unexpected answer " + line)
	}
	n, err := strconv.Atoi(strings.TrimSpace(line[1:]))
	if err != nil {
		return nil, err
	}
	items := make([]string, 0, n)
	for i := 0; i < n; i++ {
		header, err := c.r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		size, err := strconv.Atoi(strings.TrimSpace(header[1:]))
		if err != nil {
			return nil, err
		}
		buf := make([]byte, size+2)
		if _, err := io.ReadFull(c.r, buf); err != nil {
			return nil, err
		}
		items = append(items, string(buf[:size]))
	}
	out := make(map[string]string, n/2)
	for i := 0; i+1 < len(items); i += 2 {
		out[items[i]] = items[i+1]
	}
	return out, nil
}

func (a *authorizer) lookup(digest string) (entry, bool) {
	a.mu.RLock()
	e, ok := a.cache[digest]
	a.mu.RUnlock()
	if ok {
		return e, true
	}
	c, err := a.connection()
	if err != nil {
		return entry{}, false
	}
	fields, err := c.hgetall("tcal_oidc_hash_" + digest)
	if err != nil {
		c.conn.Close()
		return entry{}, false
	}
	a.release(c)
	exp, err := strconv.ParseInt(fields["exp"], 10, 64)
	if fields["email"] == "" || err != nil {
		return entry{}, false
	}
	e = entry{fields["email"], exp, strings.Split(fields["aud"], ";")}
	a.mu.Lock()
	a.cache[digest] = e
	a.mu.Unlock()
	return e, true
}

func (a *authorizer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	header := r.Header.Get("Authorization")
	if !strings.HasPrefix(header, "Bearer ") {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	sum := sha512.Sum512([]byte(header[len("Bearer "):]))
	e, ok := a.lookup(hex.EncodeToString(sum[:]))
	if !ok || e.exp <= time.Now().Unix() {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	for _, aud := range e.aud {
		if aud == a.audience {
			w.Header().Set("X-Twake-User", e.email)
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	w.WriteHeader(http.StatusUnauthorized)
}

func main() {
	listen := flag.String("listen", "127.0.0.1:9000", "address to serve")
	redis := flag.String("redis", "127.0.0.1:6379", "Redis holding the tokens")
	audience := flag.String("audience", "tcalendar", "accepted audience")
	flag.Parse()
	a := &authorizer{audience: *audience, redis: *redis, cache: map[string]entry{},
		pool: make(chan *redisConn, 64)}
	log.Fatal(http.ListenAndServe(*listen, a))
}
