# Conveniences; the README's two commands are scripts/demo.sh and scripts/test.sh.
.PHONY: demo test build clean
demo:
	sh scripts/demo.sh
test:
	sh scripts/test.sh
build:
	sh scripts/install-deps.sh && swift build -c release --product packet-path
clean:
	rm -rf .build
