#!/bin/sh
# Writes the read-only `aws ec2 describe-*` (and Lambda) output packet-path reads into OUT_DIR.
#
#   scripts/collect-aws-snapshot.sh [--region R] [--vpc-id V] [--profile P] [--endpoint-url URL]
#                                   [--skip-direct-connect] [--skip-endpoint-connections] OUT_DIR
#
# Every call is a read (describe/get/search/list); nothing is changed in the account. Needs the AWS
# CLI (v1 or v2) with credentials allowed ec2:Describe*, ec2:GetManagedPrefixListEntries,
# ec2:SearchTransitGatewayRoutes, ec2:GetTransitGatewayRouteTable*, lambda:List*/Get*,
# elasticloadbalancing:Describe* and, per virtual private gateway,
# directconnect:DescribeDirectConnectGatewayAssociations (--skip-direct-connect leaves that call out
# where it is not allowed; the gateways' Direct Connect side is then unknown).
# --skip-endpoint-connections leaves out describe-vpc-endpoint-connections, the provider's view of
# its consumers, which only cross-checks the endpoints' own states (moto does not serve it).
# --profile and --endpoint-url are passed to every call (an emulator, a VPC endpoint for the API).
#
# The files are collected in a temporary folder beside OUT_DIR and moved into place only when every
# call succeeded: a failed call is named with the CLI's message, nothing is left behind, and the exit
# status is 69. OUT_DIR must not exist or be an empty folder (nothing is overwritten, exit 73).
# Then: packet-path trace --topology OUT_DIR --from … --to …   (docs/aws-snapshots.md)
set -eu

me="collect-aws-snapshot"
usage="usage: $0 [--region R] [--vpc-id V] [--profile P] [--endpoint-url URL] [--skip-direct-connect] [--skip-endpoint-connections] OUT_DIR"
region=""
vpc=""
profile=""
endpoint=""
direct_connect=yes
endpoint_connections=yes
while [ $# -gt 1 ]; do
    case "$1" in
        --region) region="$2"; shift 2 ;;
        --vpc-id) vpc="$2"; shift 2 ;;
        --profile) profile="$2"; shift 2 ;;
        --endpoint-url) endpoint="$2"; shift 2 ;;
        --skip-direct-connect) direct_connect=no; shift ;;
        --skip-endpoint-connections) endpoint_connections=no; shift ;;
        *) echo "$usage" >&2; exit 64 ;;
    esac
done
[ $# -eq 1 ] && [ "${1#-}" = "$1" ] || { echo "$usage" >&2; exit 64; }
out="${1%/}"
[ -n "$out" ] || out="/"
if [ -e "$out" ] || [ -L "$out" ]; then
    if [ ! -d "$out" ] || [ -L "$out" ] || [ -n "$(ls -A "$out")" ]; then
        echo "$me: $out exists and is not an empty folder; choose a new one (nothing is overwritten)" >&2
        exit 73
    fi
fi
command -v aws >/dev/null 2>&1 || { echo "$me: the aws CLI is not on PATH" >&2; exit 69; }

parent=$(dirname "$out")
mkdir -p "$parent"
tmp=$(mktemp -d "$parent/.$(basename "$out").partial.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

aws_() { aws ${region:+--region "$region"} ${profile:+--profile "$profile"} ${endpoint:+--endpoint-url "$endpoint"} "$@"; }

# failed STATUS ARGS…: names the call that failed, with the CLI's own message, and stops.
failed() {
    status="$1"; shift
    echo "$me: 'aws $*' failed (exit $status); nothing was written to $out:" >&2
    sed 's/^/  /' "$tmp/.stderr" >&2
    exit 69
}

# fetch FILE ARGS…: `aws ARGS` as JSON into the temporary folder.
fetch() {
    file="$1"; shift
    aws_ --output json "$@" >"$tmp/$file" 2>"$tmp/.stderr" || failed $? "$@"
}

# ids QUERY ARGS…: the IDs a call lists (`--query QUERY`), one per line, into $tmp/.ids (a file, not
# a command substitution, so that a failure stops the script rather than a subshell).
ids() {
    query="$1"; shift
    aws_ --output text "$@" --query "$query" >"$tmp/.ids" 2>"$tmp/.stderr" || failed $? "$@"
    tr '\t' '\n' <"$tmp/.ids" | grep -v -e '^None$' -e '^$' >"$tmp/.list" || true
}

# describe-* calls; with --vpc-id, a filter keeps the snapshot to that VPC where the call has one
# (describe-nat-gateways spells it --filter).
if [ -n "$vpc" ]; then
    fetch describe-vpcs.json ec2 describe-vpcs --vpc-ids "$vpc"
    for call in describe-subnets describe-route-tables describe-vpc-endpoints describe-network-interfaces \
                describe-security-groups describe-network-acls describe-instances; do
        fetch "$call.json" ec2 "$call" --filters "Name=vpc-id,Values=$vpc"
    done
    fetch describe-nat-gateways.json ec2 describe-nat-gateways --filter "Name=vpc-id,Values=$vpc"
    fetch describe-internet-gateways.json ec2 describe-internet-gateways --filters "Name=attachment.vpc-id,Values=$vpc"
    fetch describe-vpn-gateways.json ec2 describe-vpn-gateways --filters "Name=attachment.vpc-id,Values=$vpc"
else
    for call in describe-vpcs describe-subnets describe-route-tables describe-vpc-endpoints describe-network-interfaces \
                describe-security-groups describe-network-acls describe-instances describe-nat-gateways \
                describe-internet-gateways describe-vpn-gateways; do
        fetch "$call.json" ec2 "$call"
    done
fi
# Not filtered by VPC: these join VPCs, or have no VPC filter.
for call in describe-egress-only-internet-gateways describe-vpc-peering-connections describe-addresses \
            describe-vpn-connections describe-customer-gateways describe-transit-gateways \
            describe-transit-gateway-attachments describe-transit-gateway-vpc-attachments \
            describe-transit-gateway-peering-attachments describe-transit-gateway-route-tables \
            describe-availability-zones describe-vpc-endpoint-service-configurations; do
    fetch "$call.json" ec2 "$call"
done
[ "$endpoint_connections" = yes ] && fetch describe-vpc-endpoint-connections.json ec2 describe-vpc-endpoint-connections

# Endpoint services this account provides (R19.4): who may connect, per service.
ids 'ServiceConfigurations[].ServiceId' ec2 describe-vpc-endpoint-service-configurations
for service in $(cat "$tmp/.list"); do
    fetch "describe-vpc-endpoint-service-permissions.$service.json" ec2 describe-vpc-endpoint-service-permissions --service-id "$service"
done

# Network and Gateway Load Balancers (R19.3, R19.5). The per-resource calls do not always name
# their resource in their output: each file is named after the ARN's resource part, `/` as `.`
# (describe-target-health.targetgroup.NAME.ID.json). Not filtered by VPC (elbv2 has no filter);
# the load balancers of other VPCs are ignored with a warning.
fetch describe-load-balancers.json elbv2 describe-load-balancers
fetch describe-target-groups.json elbv2 describe-target-groups
ids 'LoadBalancers[].LoadBalancerArn' elbv2 describe-load-balancers
for arn in $(cat "$tmp/.list"); do
    name=$(printf '%s' "${arn#*:loadbalancer/}" | tr '/' '.')
    fetch "describe-listeners.loadbalancer.$name.json" elbv2 describe-listeners --load-balancer-arn "$arn"
    fetch "describe-load-balancer-attributes.loadbalancer.$name.json" elbv2 describe-load-balancer-attributes --load-balancer-arn "$arn"
done
ids 'TargetGroups[].TargetGroupArn' elbv2 describe-target-groups
for arn in $(cat "$tmp/.list"); do
    name=$(printf '%s' "${arn#*:targetgroup/}" | tr '/' '.')
    fetch "describe-target-health.targetgroup.$name.json" elbv2 describe-target-health --target-group-arn "$arn"
    fetch "describe-target-group-attributes.targetgroup.$name.json" elbv2 describe-target-group-attributes --target-group-arn "$arn"
done

# Transit gateway route tables (R19.1): routes, associations and propagations per table, each file
# named after its table.
ids 'TransitGatewayRouteTables[].TransitGatewayRouteTableId' ec2 describe-transit-gateway-route-tables
for table in $(cat "$tmp/.list"); do
    fetch "search-transit-gateway-routes.$table.json" ec2 search-transit-gateway-routes \
        --transit-gateway-route-table-id "$table" --filters "Name=state,Values=active,blackhole"
    fetch "get-transit-gateway-route-table-associations.$table.json" ec2 get-transit-gateway-route-table-associations \
        --transit-gateway-route-table-id "$table"
    fetch "get-transit-gateway-route-table-propagations.$table.json" ec2 get-transit-gateway-route-table-propagations \
        --transit-gateway-route-table-id "$table"
done

# Direct Connect gateways associated with each virtual private gateway (R19.2).
if [ "$direct_connect" = yes ]; then
    ids 'VpnGateways[].VpnGatewayId' ec2 describe-vpn-gateways \
        ${vpc:+--filters "Name=attachment.vpc-id,Values=$vpc"}
    for vgw in $(cat "$tmp/.list"); do
        fetch "describe-direct-connect-gateway-associations.$vgw.json" directconnect describe-direct-connect-gateway-associations \
            --virtual-gateway-id "$vgw"
    done
fi

# Prefix lists: the list records hold no entries (R16.5); fetch each list's entries.
fetch describe-managed-prefix-lists.json ec2 describe-managed-prefix-lists
ids 'PrefixLists[].PrefixListId' ec2 describe-managed-prefix-lists
for pl in $(cat "$tmp/.list"); do
    fetch "get-managed-prefix-list-entries.$pl.json" ec2 get-managed-prefix-list-entries --prefix-list-id "$pl"
done

# DNS attributes are not in describe-vpcs (R16.1).
ids 'Vpcs[].VpcId' ec2 describe-vpcs ${vpc:+--vpc-ids "$vpc"}
for v in $(cat "$tmp/.list"); do
    fetch "describe-vpc-attribute.$v.enableDnsSupport.json" ec2 describe-vpc-attribute --vpc-id "$v" --attribute enableDnsSupport
    fetch "describe-vpc-attribute.$v.enableDnsHostnames.json" ec2 describe-vpc-attribute --vpc-id "$v" --attribute enableDnsHostnames
done

# Lambda functions and their VpcConfig (R16.12).
ids 'Functions[].FunctionName' lambda list-functions
for fn in $(cat "$tmp/.list"); do
    fetch "get-function-configuration.$fn.json" lambda get-function-configuration --function-name "$fn"
done

rm -f "$tmp/.stderr" "$tmp/.ids" "$tmp/.list"
[ -d "$out" ] && rmdir "$out"
mv "$tmp" "$out"
trap - EXIT
echo "$me: snapshot written to $out ($(ls "$out" | wc -l | tr -d ' ') files)" >&2
