// drover-bench: each benchmark section is a subcommand of DroverBench.
import ArgumentParser

DroverBench.main()
