package main

import (
	"context"
	"encoding/json"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/progress"
	"github.com/chorusmkt/chorus/internal/shop"
	"github.com/chorusmkt/chorus/internal/store"
)

// app holds what every subcommand shares: configuration, I/O and wiring.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	env            config.Lookup

	cfgPath string
	dbFlag  string
	cfg     config.Config

	demoSend bool // chorus demo --send
}

func newApp(stdin io.Reader, stdout, stderr io.Writer) *app {
	return &app{stdin: stdin, stdout: stdout, stderr: stderr, env: os.LookupEnv}
}

func (a *app) root() *cobra.Command {
	root := &cobra.Command{
		Use:   "chorus",
		Short: "AI-driven, multi-channel e-commerce marketing engine",
		Long: `Chorus turns a shop's customers, catalog and behaviour events into consumer
insight, product recommendations and compliant, personalised copy for every
channel. Data lives in a SQLite file by default (--db chorus.db) or in
PostgreSQL (--db postgres://…).`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			return a.loadConfig()
		},
	}
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.PersistentFlags().StringVar(&a.cfgPath, "config", "", "YAML config file (env CHORUS_CONFIG)")
	root.PersistentFlags().StringVar(&a.dbFlag, "db", "", "SQLite file or postgres:// DSN (env CHORUS_DB; default chorus.db)")
	root.AddCommand(
		a.versionCmd(),
		a.migrateCmd(),
		a.benchCmd(),
		a.llmCmd(),
		a.importCmd(),
		a.demoCmd(),
		a.segmentCmd(),
		a.rfmCmd(),
		a.clvCmd(),
		a.profileCmd(),
		a.recommendCmd(),
		a.generateCmd(),
		a.contentCmd(),
		a.policyCmd(),
		a.suppressCmd(),
		a.privacyCmd(),
		a.checkCmd(),
		a.askCmd(), a.kbCmd(), a.supportCmd(),
		a.experimentCmd(),
		a.shopCmd(),
		a.campaignCmd(),
		a.workerCmd(),
	)
	return root
}

// loadConfig applies defaults, the config file, CHORUS_* and then flags.
func (a *app) loadConfig() error {
	path := a.cfgPath
	if path == "" {
		if v, ok := a.env("CHORUS_CONFIG"); ok {
			path = v
		}
	}
	cfg, err := config.Load(path, a.env)
	if err != nil {
		return err
	}
	if a.dbFlag != "" {
		cfg.DB = a.dbFlag
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	if _, err := shop.FromConfig(cfg.Shop); err != nil {
		return err
	}
	a.cfg = cfg
	return nil
}

// openStore opens and migrates the configured database; the caller
// closes it. Commands that need the store for one run use withStore.
func (a *app) openStore(ctx context.Context) (store.Store, error) {
	return store.Open(ctx, a.cfg.DB)
}

// withStore opens the configured database, runs fn on it and closes it.
// It returns fn's error, else the error of closing: a failed close is not
// lost because fn succeeded.
func (a *app) withStore(ctx context.Context, fn func(store.Store) error) (err error) {
	st, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := st.Close(); err == nil {
			err = cerr
		}
	}()
	return fn(st)
}

// progress reports long work on stderr (a bar on a terminal).
func (a *app) progress(label string, total int64, unit string) progress.Reporter {
	return progress.New(a.stderr, label, total, unit)
}

// printJSON writes v as indented JSON to stdout.
func (a *app) printJSON(v any) error {
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
