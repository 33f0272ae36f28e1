package llmtest_test

import (
	"bytes"
	"net/http"
	"sync"
	"testing"

	"github.com/chorusmkt/chorus/internal/llm/llmtest"
)

// An unpaced client blows through the limit at once, and the fake counts it.
func TestRateLimitCountsViolations(t *testing.T) {
	srv := llmtest.Start(t, llmtest.Config{RPM: 600}) // 10 per second, burst 10
	body := []byte(`{"model":"m","messages":[{"role":"user","content":"hi"}]}`)
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	for range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Post(srv.BaseURL()+"/chat/completions", "application/json", bytes.NewReader(body))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			mu.Lock()
			codes[resp.StatusCode]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if srv.Violations() < 15 || int64(codes[429]) != srv.Violations() || codes[200] < 10 {
		t.Fatalf("violations %d, codes %v", srv.Violations(), codes)
	}
	if srv.Requests() != 30 {
		t.Fatalf("requests %d", srv.Requests())
	}
}
