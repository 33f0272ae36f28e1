package campaignbench

import (
	"fmt"
	"io"
)

// WriteText writes the figures as `chorus bench send` prints them.
func (rep Report) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "bench send · %s · %d recipients · %d worker process(es) · %d SMTP connections each\n", rep.Engine, rep.N, rep.Workers, rep.Connections)
	fmt.Fprintf(w, "  launch (freeze + enqueue)   %8.2f s\n", rep.LaunchSec)
	fmt.Fprintf(w, "  end to end                  %8.0f msg/s  (%d sent in %.2f s; sink holds %d distinct Message-IDs)\n", rep.MsgPerSec, rep.Sent, rep.SendSec, rep.SinkDistinct)
	fmt.Fprintf(w, "  raw go-mail loop            %8.0f msg/s  (the same mail: %.0f bytes a message, the pipeline's %.0f)\n", rep.RawMsgPerSec, rep.RawMsgBytes, rep.MsgBytes)
	fmt.Fprintf(w, "  ratio                       %8.2f\n", rep.Ratio)
	fmt.Fprintf(w, "  worker CPU                  %8.3f s per 1,000 messages\n", rep.CPUPer1000)
	_, err := fmt.Fprintf(w, "  worker peak RSS             %8.1f MB\n", rep.PeakRSSMB)
	return err
}
