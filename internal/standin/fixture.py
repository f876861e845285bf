"""Creates in moto, emptied first, what a deployed route53-failover stack has in AWS, all of it as
a plan of the stack says (the Go side translates the plan into the API's own terms): the hosted
zone with the plan's records of the served names and its health check, its certificates in their
regions (issued, or the first pending), its VPC and subnets, target group, launch template and
Auto Scaling group under the plan's names, the group's instances registered with the target group
(on an older launch template version than the group's, with staleInstances). Reads the spec as
JSON on stdin, prints the ids as JSON. Used by the failover package's tests."""
import datetime
import json
import sys
import urllib.request
import uuid

import boto3
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

spec = json.load(sys.stdin)
urllib.request.urlopen(urllib.request.Request(spec["endpoint"] + "/moto-api/reset", method="POST")).close()
kw = dict(endpoint_url=spec["endpoint"], aws_access_key_id="test", aws_secret_access_key="test")
region = spec["region"]
ref = str(uuid.uuid4())

r53 = boto3.client("route53", region_name="us-east-1", **kw)
zone = r53.create_hosted_zone(Name=spec["zone"], CallerReference=ref)
zone_id = zone["HostedZone"]["Id"].split("/")[-1]
check = r53.create_health_check(CallerReference=ref, HealthCheckConfig=spec["healthCheck"])
check_id = check["HealthCheck"]["Id"]
changes = []
for record in spec["recordSets"]:
    if record.get("HealthCheckId") == "{check}":
        record["HealthCheckId"] = check_id
    changes.append({"Action": "CREATE", "ResourceRecordSet": record})
r53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": changes})


KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def issued_certificate(acm, names):
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(KEY.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=90))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
            .sign(KEY, hashes.SHA256()))
    return acm.import_certificate(
        Certificate=cert.public_bytes(serialization.Encoding.PEM),
        PrivateKey=KEY.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                     serialization.NoEncryption()))["CertificateArn"]


certificates = []
for i, c in enumerate(spec["certificates"]):
    acm = boto3.client("acm", region_name=c["region"], **kw)
    if spec.get("pendingCertificate") and i == 0:
        certificates.append(acm.request_certificate(DomainName=c["names"][0], SubjectAlternativeNames=c["names"],
                                                    ValidationMethod="DNS")["CertificateArn"])
    else:
        certificates.append(issued_certificate(acm, c["names"]))

compute = spec["compute"]
ec2 = boto3.client("ec2", region_name=region, **kw)
vpc = ec2.create_vpc(CidrBlock=compute["vpcCidr"])["Vpc"]["VpcId"]
subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=cidr)["Subnet"]["SubnetId"] for cidr in compute["subnetCidrs"]]
elb = boto3.client("elbv2", region_name=region, **kw)
group_arn = elb.create_target_group(VpcId=vpc, **compute["targetGroup"])["TargetGroups"][0]["TargetGroupArn"]
template = ec2.create_launch_template(LaunchTemplateName=compute["launchTemplate"]["LaunchTemplateName"],
                                      LaunchTemplateData={"ImageId": "ami-12c6146b",
                                                          "InstanceType": compute["launchTemplate"]["InstanceType"]})
template_id = template["LaunchTemplate"]["LaunchTemplateId"]
asg = boto3.client("autoscaling", region_name=region, **kw)
group = compute["group"]
asg.create_auto_scaling_group(VPCZoneIdentifier=",".join(subnets), TargetGroupARNs=[group_arn],
                              LaunchTemplate={"LaunchTemplateId": template_id, "Version": "1"}, **group)
if spec.get("staleInstances"):
    # As a failed instance refresh leaves it: the group already launches the new version, its
    # instances still run the old one.
    ec2.create_launch_template_version(LaunchTemplateId=template_id, LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.small"})
    asg.update_auto_scaling_group(AutoScalingGroupName=group["AutoScalingGroupName"],
                                  LaunchTemplate={"LaunchTemplateId": template_id, "Version": "2"})
instances = asg.describe_auto_scaling_groups(AutoScalingGroupNames=[group["AutoScalingGroupName"]])["AutoScalingGroups"][0]["Instances"]

json.dump({"zoneId": zone_id, "nameServers": zone["DelegationSet"]["NameServers"], "healthCheckId": check_id,
           "certificateArns": certificates, "targetGroupArn": group_arn, "instanceId": instances[0]["InstanceId"],
           "autoScalingGroupName": group["AutoScalingGroupName"]}, sys.stdout)
