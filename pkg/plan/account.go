package plan

import "github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"

// Existing is what the simulated account holds before a program runs (RunInAccount,
// Options.Existing): the hosted zones, VPCs, subnets, route tables, certificates, images,
// instances and record sets a program uses but does not create.
type Existing = mockcloud.Existing

// Zone is a hosted zone an account holds; PublicZone makes a public one.
type Zone = mockcloud.Zone

// VPC is a VPC an account holds, with its CIDR blocks.
type VPC = mockcloud.VPC

// Subnet is a subnet of one of the account's VPCs.
type Subnet = mockcloud.Subnet

// RouteTable is a route table of one of the account's VPCs, with its routes and subnets.
type RouteTable = mockcloud.RouteTable

// Route is one route of a RouteTable.
type Route = mockcloud.Route

// Certificate is an ACM certificate an account holds.
type Certificate = mockcloud.Certificate

// Image is an AMI an account can launch, besides the Amazon Linux 2023 images every region
// offers.
type Image = mockcloud.Image

// Instance is an EC2 instance an account runs outside the program.
type Instance = mockcloud.Instance

// RecordSet is a record set a hosted zone holds already.
type RecordSet = mockcloud.RecordSet

// Assumption is a fact about the account that RunInRegion took for granted (Plan.Assumptions).
type Assumption = mockcloud.Assumption

// PublicZone is the public hosted zone of name, with the id and name servers the simulated
// account gives it.
func PublicZone(name string) Zone { return mockcloud.PublicZone(name) }
