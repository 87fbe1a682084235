#!/bin/sh
# Writes the read-only `aws ec2 describe-*` (and Lambda) output packet-path reads into OUT_DIR.
#
#   scripts/collect-aws-snapshot.sh [--region R] [--vpc-id V] OUT_DIR
#
# Every call is a read (describe/get/list); nothing is changed in the account. Needs the AWS CLI v2
# with credentials allowed ec2:Describe*, ec2:GetManagedPrefixListEntries and lambda:List*/Get*.
# Then: packet-path trace --topology OUT_DIR --from … --to …   (docs/aws-snapshots.md)
set -eu

region=""
vpc=""
while [ $# -gt 1 ]; do
    case "$1" in
        --region) region="$2"; shift 2 ;;
        --vpc-id) vpc="$2"; shift 2 ;;
        *) echo "usage: $0 [--region R] [--vpc-id V] OUT_DIR" >&2; exit 64 ;;
    esac
done
[ $# -eq 1 ] || { echo "usage: $0 [--region R] [--vpc-id V] OUT_DIR" >&2; exit 64; }
out="$1"
mkdir -p "$out"
command -v aws >/dev/null 2>&1 || { echo "$0: the aws CLI is not on PATH" >&2; exit 69; }

aws_() { aws ${region:+--region "$region"} --output json "$@"; }
vpc_filter=""
[ -n "$vpc" ] && vpc_filter="Name=vpc-id,Values=$vpc"

# describe-* calls; a VPC filter keeps the snapshot to one VPC where the call supports it.
aws_ ec2 describe-vpcs ${vpc:+--vpc-ids "$vpc"} > "$out/describe-vpcs.json"
for call in describe-subnets describe-route-tables describe-vpc-endpoints describe-network-interfaces \
            describe-security-groups describe-network-acls describe-nat-gateways describe-instances; do
    if [ -n "$vpc_filter" ]; then
        aws_ ec2 "$call" --filters "$vpc_filter" > "$out/$call.json"
    else
        aws_ ec2 "$call" > "$out/$call.json"
    fi
done
if [ -n "$vpc" ]; then
    aws_ ec2 describe-internet-gateways --filters "Name=attachment.vpc-id,Values=$vpc" > "$out/describe-internet-gateways.json"
else
    aws_ ec2 describe-internet-gateways > "$out/describe-internet-gateways.json"
fi
aws_ ec2 describe-egress-only-internet-gateways > "$out/describe-egress-only-internet-gateways.json"
aws_ ec2 describe-vpn-gateways > "$out/describe-vpn-gateways.json"
aws_ ec2 describe-vpc-peering-connections > "$out/describe-vpc-peering-connections.json"
aws_ ec2 describe-transit-gateway-vpc-attachments > "$out/describe-transit-gateway-vpc-attachments.json"
aws_ ec2 describe-addresses > "$out/describe-addresses.json"

# Prefix lists: the list records hold no entries (R16.5); fetch each list's entries.
aws_ ec2 describe-managed-prefix-lists > "$out/describe-managed-prefix-lists.json"
for pl in $(aws_ ec2 describe-managed-prefix-lists --query 'PrefixLists[].PrefixListId' --output text); do
    aws_ ec2 get-managed-prefix-list-entries --prefix-list-id "$pl" > "$out/get-managed-prefix-list-entries.$pl.json"
done

# DNS attributes are not in describe-vpcs (R16.1).
for v in $(aws_ ec2 describe-vpcs ${vpc:+--vpc-ids "$vpc"} --query 'Vpcs[].VpcId' --output text); do
    aws_ ec2 describe-vpc-attribute --vpc-id "$v" --attribute enableDnsSupport > "$out/describe-vpc-attribute.$v.enableDnsSupport.json"
    aws_ ec2 describe-vpc-attribute --vpc-id "$v" --attribute enableDnsHostnames > "$out/describe-vpc-attribute.$v.enableDnsHostnames.json"
done

# Lambda functions and their VpcConfig (R16.12).
for fn in $(aws_ lambda list-functions --query 'Functions[].FunctionName' --output text); do
    aws_ lambda get-function-configuration --function-name "$fn" > "$out/get-function-configuration.$fn.json"
done
echo "snapshot written to $out" >&2
