"""Runs moto's AWS API server on a free loopback port, creates a small network in it with boto3, and
prints one JSON line: the endpoint URL and the IDs and addresses the collector test checks. The
server runs until standard input closes.

    python3 emulated_network.py

Network (us-east-1a): VPC `collector-vpc` 10.20.0.0/16 with subnet `public` 10.20.0.0/24 (internet
gateway; instance `web1` with an Elastic IP; a NAT gateway) and subnet `private` 10.20.1.0/24
(0.0.0.0/0 to the NAT gateway, S3 through a gateway endpoint; instance `app1`); VPC `data-vpc`
10.30.0.0/16 with instance `db1` (PostgreSQL from 10.20.0.0/16). A transit gateway joins the two VPCs
with static routes each way (moto propagates none). PrivateLink (R19.3, R19.4): `db1` is also behind
the Network Load Balancer `db-nlb` (TCP 5432), published as an endpoint service, with an interface
endpoint in `private` at 10.20.1.201; db1 admits the load balancer's subnet too.

Two things AWS does that moto 5.2.1 does not, done here with moto's own API: AWS gives a Network Load
Balancer an interface per zone (`ELB net/NAME/ID`, no security groups), moto none, so one is created;
moto gives an interface endpoint's interface a random 10.x address outside its subnet (which the
loader warns about and leaves out), so the address AWS would pick from the subnet is added to it, and
the default security group instead of the endpoint's, so the endpoint's group is set on it.
"""
import json
import sys

import boto3
from moto.server import ThreadedMotoServer

server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
host, port = server.get_host_and_port()
endpoint = f"http://{host}:{port}"
credentials = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
ec2 = boto3.client("ec2", **credentials)
elbv2 = boto3.client("elbv2", **credentials)


def named(resource_id, name):
    ec2.create_tags(Resources=[resource_id], Tags=[{"Key": "Name", "Value": name}])
    return resource_id


def instance(subnet, group, name):
    image = ec2.describe_images()["Images"][0]["ImageId"]
    return ec2.run_instances(
        ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro", SubnetId=subnet, SecurityGroupIds=[group],
        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": name}]}],
    )["Instances"][0]


vpc = named(ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"], "collector-vpc")
public = named(ec2.create_subnet(VpcId=vpc, CidrBlock="10.20.0.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"], "public")
private = named(ec2.create_subnet(VpcId=vpc, CidrBlock="10.20.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"], "private")

igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
public_rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
ec2.create_route(RouteTableId=public_rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
ec2.associate_route_table(RouteTableId=public_rt, SubnetId=public)

nat = ec2.create_nat_gateway(SubnetId=public, AllocationId=ec2.allocate_address(Domain="vpc")["AllocationId"])["NatGateway"]["NatGatewayId"]
private_rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
ec2.create_route(RouteTableId=private_rt, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
ec2.associate_route_table(RouteTableId=private_rt, SubnetId=private)
ec2.create_vpc_endpoint(VpcId=vpc, ServiceName="com.amazonaws.us-east-1.s3", VpcEndpointType="Gateway", RouteTableIds=[private_rt])

web_group = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
app_group = ec2.create_security_group(GroupName="app", Description="app", VpcId=vpc)["GroupId"]
web = instance(public, web_group, "web1")
ec2.associate_address(InstanceId=web["InstanceId"], AllocationId=ec2.allocate_address(Domain="vpc")["AllocationId"])
app = instance(private, app_group, "app1")

other = named(ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"], "data-vpc")
other_subnet = named(ec2.create_subnet(VpcId=other, CidrBlock="10.30.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"], "data")
db_group = ec2.create_security_group(GroupName="db", Description="db", VpcId=other)["GroupId"]
ec2.authorize_security_group_ingress(
    GroupId=db_group, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [{"CidrIp": "10.20.0.0/16"}]}]
)
db = instance(other_subnet, db_group, "db1")

tgw = ec2.create_transit_gateway(Description="hub")["TransitGateway"]["TransitGatewayId"]
attachments = {}
for v, s in [(vpc, private), (other, other_subnet)]:
    attachments[v] = ec2.create_transit_gateway_vpc_attachment(TransitGatewayId=tgw, VpcId=v, SubnetIds=[s])[
        "TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
table = ec2.describe_transit_gateway_route_tables()["TransitGatewayRouteTables"][0]["TransitGatewayRouteTableId"]
for cidr, v in [("10.30.0.0/16", other), ("10.20.0.0/16", vpc)]:
    ec2.create_transit_gateway_route(DestinationCidrBlock=cidr, TransitGatewayRouteTableId=table, TransitGatewayAttachmentId=attachments[v])
ec2.create_route(RouteTableId=private_rt, DestinationCidrBlock="10.30.0.0/16", TransitGatewayId=tgw)
other_main = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [other]}, {"Name": "association.main", "Values": ["true"]}])
ec2.create_route(RouteTableId=other_main["RouteTables"][0]["RouteTableId"], DestinationCidrBlock="10.20.0.0/16", TransitGatewayId=tgw)

ec2.authorize_security_group_ingress(
    GroupId=db_group, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [{"CidrIp": "10.30.1.0/24"}]}]
)
nlb = elbv2.create_load_balancer(Name="db-nlb", Subnets=[other_subnet], Scheme="internal", Type="network")["LoadBalancers"][0]
ec2.create_network_interface(
    SubnetId=other_subnet, PrivateIpAddress="10.30.1.100", Groups=[],
    Description="ELB net/db-nlb/" + nlb["LoadBalancerArn"].split("/")[-1],
)
group = elbv2.create_target_group(Name="db", Protocol="TCP", Port=5432, VpcId=other, TargetType="instance")["TargetGroups"][0]
elbv2.register_targets(TargetGroupArn=group["TargetGroupArn"], Targets=[{"Id": db["InstanceId"]}])
elbv2.create_listener(
    LoadBalancerArn=nlb["LoadBalancerArn"], Protocol="TCP", Port=5432,
    DefaultActions=[{"Type": "forward", "TargetGroupArn": group["TargetGroupArn"]}],
)
service = ec2.create_vpc_endpoint_service_configuration(NetworkLoadBalancerArns=[nlb["LoadBalancerArn"]], AcceptanceRequired=False)[
    "ServiceConfiguration"]
endpoint_group = ec2.create_security_group(GroupName="db-endpoint", Description="db endpoint", VpcId=vpc)["GroupId"]
ec2.authorize_security_group_ingress(
    GroupId=endpoint_group, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [{"CidrIp": "10.20.0.0/16"}]}]
)
consumer = ec2.create_vpc_endpoint(
    VpcId=vpc, ServiceName=service["ServiceName"], VpcEndpointType="Interface", SubnetIds=[private], SecurityGroupIds=[endpoint_group]
)["VpcEndpoint"]
ec2.assign_private_ip_addresses(NetworkInterfaceId=consumer["NetworkInterfaceIds"][0], PrivateIpAddresses=["10.20.1.201"])
ec2.modify_network_interface_attribute(NetworkInterfaceId=consumer["NetworkInterfaceIds"][0], Groups=[endpoint_group])

print(json.dumps({
    "endpoint": endpoint, "vpc": vpc, "nat": nat, "tgw": tgw, "service": service["ServiceId"], "consumer_endpoint": "10.20.1.201",
    "web1": web["PrivateIpAddress"], "app1": app["PrivateIpAddress"], "db1": db["PrivateIpAddress"],
}), flush=True)
sys.stdin.read()
server.stop()
