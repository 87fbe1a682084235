# packet-path: the two commands of the README, and a few conveniences.
SWIFT ?= swift
BIN = .build/release/packet-path

.PHONY: demo test deps build clean

## demo: replay the seed's flows before and after the VPC endpoints, side by side
demo: deps
	$(SWIFT) build -c release --product packet-path
	@echo
	@echo "== Seed scenario: the same flows from alpha5, before and after adding VPC endpoints =="
	@$(BIN) compare --before Scenarios/seed/before.yaml --after Scenarios/seed/after.yaml --flows Scenarios/seed/flows.yaml
	@echo
	@echo "== Hop by hop: alpha5 to S3 after the change =="
	@$(BIN) trace --topology Scenarios/seed/after.yaml --from alpha5 --to s3

## test: build and run every test
test: deps
	$(SWIFT) test

deps:
	@sh scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --product packet-path

clean:
	rm -rf .build
