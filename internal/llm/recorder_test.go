package llm_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/chorusmkt/chorus/internal/llm"
)

// A started recorder writes on its interval; Stop and Close may be called
// twice, and a recorder never started writes at Close.
func TestRecorderStartStop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		st := llm.NewMemoryStore()
		rec := llm.NewRecorder(st, time.Second, nil)
		if err := rec.Start(ctx); err != nil {
			t.Fatal(err)
		}
		_ = rec.Start(ctx) // a second start is harmless
		rec.Log(llm.LogEntry{Run: "r1", Status: "ok"})
		time.Sleep(2 * time.Second) // fake time: the ticker fires
		synctest.Wait()
		if es, _ := st.ListLLMLog(ctx, llm.LogFilter{}); len(es) != 1 {
			t.Fatalf("after one interval: %d log rows, want 1", len(es))
		}
		rec.Stop()
		rec.Stop()
		rec.Log(llm.LogEntry{Run: "r1", Status: "ok"})
		time.Sleep(2 * time.Second)
		synctest.Wait()
		if es, _ := st.ListLLMLog(ctx, llm.LogFilter{}); len(es) != 1 {
			t.Fatalf("a stopped recorder wrote: %d rows", len(es))
		}
		if err := rec.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if err := rec.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if es, _ := st.ListLLMLog(ctx, llm.LogFilter{}); len(es) != 2 {
			t.Fatalf("after Close: %d rows, want 2", len(es))
		}
	})
}
