"""Creates in moto what a deployed route53-failover stack has in AWS, as a plan of the stack says:
the hosted zone with the plan's records of the served names and the plan's health check (given
as the Route 53 API takes them), the certificates (issued, or pending), a VPC, an instance and
the target group that holds it, and an Auto Scaling group with one instance of its own (on an
older launch template version than the group's, with staleInstances). Reads its settings as
JSON on stdin, prints the ids as JSON. Used by the failover package's tests."""
import datetime
import json
import sys
import uuid

import boto3
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

spec = json.load(sys.stdin)
kw = dict(endpoint_url=spec["endpoint"], aws_access_key_id="test", aws_secret_access_key="test")
region = spec["region"]
names = spec["names"]
ref = str(uuid.uuid4())

r53 = boto3.client("route53", region_name="us-east-1", **kw)
zone = r53.create_hosted_zone(Name=names[0], CallerReference=ref)
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


def issued_certificate(acm):
    key = KEY
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=90))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
            .sign(key, hashes.SHA256()))
    return acm.import_certificate(
        Certificate=cert.public_bytes(serialization.Encoding.PEM),
        PrivateKey=key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                     serialization.NoEncryption()))["CertificateArn"]


certificates = []
for cert_region in (region, "us-east-1"):
    acm = boto3.client("acm", region_name=cert_region, **kw)
    if spec.get("pendingCertificate") and cert_region == region:
        certificates.append(acm.request_certificate(DomainName=names[0], ValidationMethod="DNS")["CertificateArn"])
    else:
        certificates.append(issued_certificate(acm))

ec2 = boto3.client("ec2", region_name=region, **kw)
vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
instance = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, SubnetId=subnet)["Instances"][0]["InstanceId"]
elb = boto3.client("elbv2", region_name=region, **kw)
group = elb.create_target_group(Name="tg-" + ref[:8], Protocol="HTTP", Port=80, VpcId=vpc, TargetType="instance")
group_arn = group["TargetGroups"][0]["TargetGroupArn"]
elb.register_targets(TargetGroupArn=group_arn, Targets=[{"Id": instance, "Port": 80}])
asg = boto3.client("autoscaling", region_name=region, **kw)
template = ec2.create_launch_template(LaunchTemplateName="lt-" + ref[:8], LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"})
group_name = "web-" + ref[:8]
template_id = template["LaunchTemplate"]["LaunchTemplateId"]
asg.create_auto_scaling_group(AutoScalingGroupName=group_name, MinSize=0, MaxSize=1, DesiredCapacity=1, VPCZoneIdentifier=subnet,
                              LaunchTemplate={"LaunchTemplateId": template_id, "Version": "1"})
if spec.get("staleInstances"):
    # As a failed instance refresh leaves it: the group already launches the new version, its
    # instance still runs the old one.
    ec2.create_launch_template_version(LaunchTemplateId=template_id, LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.small"})
    asg.update_auto_scaling_group(AutoScalingGroupName=group_name, LaunchTemplate={"LaunchTemplateId": template_id, "Version": "2"})

json.dump({"zoneId": zone_id, "nameServers": zone["DelegationSet"]["NameServers"], "healthCheckId": check_id,
           "certificateArns": certificates, "targetGroupArn": group_arn, "instanceId": instance,
           "autoScalingGroupName": group_name}, sys.stdout)
