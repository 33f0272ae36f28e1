package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/server"
	"github.com/chorusmkt/chorus/internal/store"
)

func (a *app) serveCmd() *cobra.Command {
	o := &struct {
		Addr      string `flag:"addr"`
		NoWorkers bool   `flag:"no-workers"`
	}{}
	return a.command("", cmdSpec{Use: "serve", Args: cobra.NoArgs, Opts: o, Run: func(cmd *cobra.Command, args []string) error {
		if cmd.Flags().Changed("addr") {
			a.cfg.Server.Addr = o.Addr
			if err := a.cfg.Validate(); err != nil {
				return err
			}
		}
		if note := server.DefaultBaseURL(&a.cfg); note != "" {
			fmt.Fprintln(a.stderr, note)
		}
		return a.withStore(cmd.Context(), func(st store.Store) error {
			return server.New(a.cfg, st, server.Options{Workers: !o.NoWorkers, Out: a.stdout, Log: a.stderr, Listener: a.listener}).Run(cmd.Context())
		})
	}})
}
