package campaignbench

import (
	"fmt"
	"io"
)

// WriteText writes the figures as `chorus bench send` prints them.
func (rep Report) WriteText(w io.Writer) error {
	pipelining := "the sink offers PIPELINING (the raw loop cannot use it)"
	if !rep.SinkPipelining {
		pipelining = "the sink refuses PIPELINING"
	}
	fmt.Fprintf(w, "bench send · %s · %d recipients · %d worker process(es) · %d SMTP connections each · %s\n", rep.Engine, rep.N, rep.Workers, rep.Connections, pipelining)
	fmt.Fprintf(w, "  launch (freeze + enqueue)   %8.2f s\n", rep.LaunchSec)
	fmt.Fprintf(w, "  end to end                  %8.0f msg/s  (%d sent in %.2f s; sink holds %d distinct Message-IDs)\n", rep.MsgPerSec, rep.Sent, rep.SendSec, rep.SinkDistinct)
	fmt.Fprintf(w, "  first message at the sink   %8.2f s  after the workers were started (included above)\n", rep.FirstMessageSec)
	fmt.Fprintf(w, "  raw go-mail loop, before    %8.0f msg/s  (the probe's mail again: %.0f bytes a message)\n", rep.RawBeforeMsgPerSec, rep.RawBeforeMsgBytes)
	fmt.Fprintf(w, "  raw go-mail loop, after     %8.0f msg/s  (the same mail: %.0f bytes a message, the pipeline's %.0f)\n", rep.RawAfterMsgPerSec, rep.RawMsgBytes, rep.MsgBytes)
	fmt.Fprintf(w, "  baseline (mean of the two)  %8.0f msg/s  (drift %+.0f%%: the machine changed under the run by this much)\n", rep.RawMsgPerSec, rep.RawDrift*100)
	fmt.Fprintf(w, "  ratio (to the baseline)     %8.2f\n", rep.Ratio)
	fmt.Fprintf(w, "  worker CPU                  %8.3f s per 1,000 messages\n", rep.CPUPer1000)
	_, err := fmt.Fprintf(w, "  worker peak RSS             %8.1f MB\n", rep.PeakRSSMB)
	return err
}
