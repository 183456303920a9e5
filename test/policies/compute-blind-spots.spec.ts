/**
 * Issue 23, compute and network: pull-request mistakes the pack used to let
 * through, each made on a copy of a real recorded resource (myhibachi-prod's
 * ECS service, prod's EKS nodes) and caught: a health check that cannot fail
 * on HTTP errors (ECS-3, K8S-2, APP-2), tasks or nodes in a public subnet
 * (NET-4), an autoscaled service whose desiredCount a deploy resets (ECS-6),
 * a forwarding rule on the plain-HTTP listener (ECS-5, NET-3), pod roles with
 * wildcards (ECS-8, K8S-10) and node volumes under the account's default EBS
 * key (K8S-1, POL-1). Every rule passes the stacks as recorded.
 */
import publicWorkloads from "../../policies/rules/ec2/ec2-subnet-forbid-public-workloads";
import ebsEncryption from "../../policies/rules/ec2/ec2-launchtemplate-require-ebs-encryption";
import ignoredDesiredCount from "../../policies/rules/ecs/ecs-service-require-ignored-desired-count";
import healthCheck from "../../policies/rules/ecs/ecs-taskdefinition-require-health-check";
import podWildcards from "../../policies/rules/iam/iam-role-forbid-pod-wildcard-permissions";
import probes from "../../policies/rules/kubernetes/kubernetes-deployment-require-probes";
import listenerRules from "../../policies/rules/lb/lb-listenerrule-require-https-redirect";
import type { Rule } from "../../policies/rule";
import type { PolicyInput } from "../../synth/policy";
import { synthStack } from "../harness";
import {
  addResource,
  editDependencies,
  editInputs,
  editOutputs,
  editRecord,
  findings,
  mandatory,
  record,
} from "./recorded";

type Props = Record<string, unknown>;

const T = {
  task: "aws:ecs/taskDefinition:TaskDefinition",
  service: "aws:ecs/service:Service",
  subnet: "aws:ec2/subnet:Subnet",
  routeTable: "aws:ec2/routeTable:RouteTable",
  association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  listener: "aws:lb/listener:Listener",
  listenerRule: "aws:lb/listenerRule:ListenerRule",
  targetGroup: "aws:lb/targetGroup:TargetGroup",
  deployment: "kubernetes:apps/v1:Deployment",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
} as const;

const RULES: readonly Rule[] = [
  publicWorkloads,
  ebsEncryption,
  ignoredDesiredCount,
  healthCheck,
  podWildcards,
  probes,
  listenerRules,
];

const expectOnly = async (rule: Rule, ev: PolicyInput, stack: string, urn: string, messages: string[]) =>
  expect(await findings(rule, ev, stack)).toEqual(messages.map((m) => mandatory(rule, urn, m)));

describe("issue 23: the new and extended compute rules pass every shipped stack as recorded", () => {
  test.each(
    ["prod", "staging", "myhibachi-prod", "prod-dr"].flatMap((stack) =>
      RULES.map((r) => [r.name, stack, r] as const),
    ),
  )("POL-3: %s reports nothing on %s", async (_, stack, rule) => {
    expect(await findings(rule, await synthStack(stack), stack)).toEqual([]);
  });
});

describe("ECS-3, APP-2: a container health check that cannot fail on an HTTP error fails ecs-taskdefinition-require-health-check", () => {
  const STACK = "myhibachi-prod";
  const withCommand = async (command: string[]) => {
    const ev = await synthStack(STACK);
    const task = record(ev, T.task, "myhibachi-prod-api-task");
    const mutated = editInputs(ev, task.urn, (p) => {
      const containers = JSON.parse(String(p.containerDefinitions)) as Props[];
      (containers[0].healthCheck as Props).command = command;
      p.containerDefinitions = JSON.stringify(containers);
    });
    return { mutated, urn: task.urn };
  };

  test.each([
    [
      "curl without -f",
      ["CMD-SHELL", "curl http://localhost:8000/health || exit 1"],
      "runs curl without -f/--fail: curl exits 0 on an HTTP error status, so an app answering 500 stays healthy",
    ],
    [
      "curl -f whose failure is swallowed by || true",
      ["CMD-SHELL", "curl -f http://localhost:8000/health || true"],
      "ends the request with || true: a failed request still exits 0",
    ],
    [
      "curl -f followed by exit 0",
      ["CMD-SHELL", "curl -fsS http://localhost:8000/health; exit 0"],
      "ends with exit 0: the script exits 0 whatever the request returned",
    ],
    [
      "curl -f piped into another command",
      ["CMD-SHELL", "curl -f http://localhost:8000/health | cat"],
      "pipes the request into cat without set -o pipefail: the pipeline's status is the last command's",
    ],
    [
      "curl -f followed unconditionally by another command",
      ["CMD-SHELL", "curl -f http://localhost:8000/health; echo checked"],
      "runs echo checked after the request whatever it returned: the script's status is that command's",
    ],
    [
      "a port check that never sees the HTTP status",
      ["CMD-SHELL", "nc -z localhost 8000 && echo /health"],
      "runs no HTTP request to /health with curl -f or wget: its exit status does not reflect the app's HTTP status",
    ],
  ])("ECS-3: the real container's check as %s is reported", async (_, command, why) => {
    const { mutated, urn } = await withCommand(command);
    await expectOnly(healthCheck, mutated, STACK, urn, [`container app: healthCheck command ${why}`]);
  });

  test.each([
    ["CMD form with --fail", ["CMD", "curl", "--fail", "http://localhost:8000/health"]],
    ["combined short options", ["CMD-SHELL", "curl -sSf http://localhost:8000/health || exit 1"]],
    [
      "wget, which exits 8 on an HTTP error",
      ["CMD-SHELL", "wget -q -O /dev/null http://localhost:8000/health"],
    ],
    ["curl -f piped into grep", ["CMD-SHELL", "curl -fs http://localhost:8000/health | grep -q ok"]],
    ["curl -f whose success alone exits 0", ["CMD-SHELL", "curl -f http://localhost:8000/health && exit 0"]],
  ])("ECS-3: the real container's check as %s passes", async (_, command) => {
    const { mutated } = await withCommand(command);
    expect(await findings(healthCheck, mutated, STACK)).toEqual([]);
  });
});

describe("K8S-2, APP-2: a probe that cannot fail on an HTTP error fails kubernetes-deployment-require-probes", () => {
  const withLiveness = async (probe: Props) => {
    const ev = await synthStack("prod");
    const d = record(ev, T.deployment, "psi-prod-backend-deployment");
    const mutated = editInputs(ev, d.urn, (p) => {
      const c = ((p.spec as Props).template as { spec: { containers: Props[] } }).spec.containers[0];
      c.livenessProbe = { ...probe, initialDelaySeconds: 30, periodSeconds: 10 };
    });
    return { mutated, urn: d.urn };
  };

  test("K8S-2: the real liveness probe as an exec curl without -f is reported", async () => {
    const { mutated, urn } = await withLiveness({
      exec: { command: ["sh", "-c", "curl -s http://localhost:8000/health"] },
    });
    await expectOnly(probes, mutated, "prod", urn, [
      "container app: livenessProbe exec command runs curl without -f/--fail: curl exits 0 on an HTTP error status, so an app answering 500 stays healthy",
    ]);
  });

  test("K8S-2: the real liveness probe as a tcpSocket probe is reported", async () => {
    const { mutated, urn } = await withLiveness({ tcpSocket: { port: 8000 } });
    await expectOnly(probes, mutated, "prod", urn, [
      "container app: livenessProbe is a tcpSocket probe: it passes whatever HTTP status /health answers; probe it with httpGet",
    ]);
  });

  test("K8S-2: the real liveness probe as an exec curl -f passes", async () => {
    const { mutated } = await withLiveness({
      exec: { command: ["curl", "-f", "http://localhost:8000/health"] },
    });
    expect(await findings(probes, mutated, "prod")).toEqual([]);
  });
});

describe("NET-4: tasks or nodes in a public subnet fail ec2-subnet-forbid-public-workloads", () => {
  test("NET-4, ECS-2: myhibachi-prod's real service moved to the public subnets is reported once per subnet", async () => {
    const ev = await synthStack("myhibachi-prod");
    const service = record(ev, T.service, "myhibachi-prod-api-service");
    const publics = ["a", "b", "c"].map((z) => record(ev, T.subnet, `myhibachi-prod-network-public-${z}`));
    const mutated = editOutputs(ev, service.urn, (p) => {
      (p.networkConfiguration as Props).subnets = publics.map((s) => s.id);
    });
    await expectOnly(
      publicWorkloads,
      mutated,
      "myhibachi-prod",
      service.urn,
      publics.map(
        (s) =>
          `ECS service myhibachi-prod-api-service runs in public subnet ${s.name} (${String(s.id)}): it is tagged kubernetes.io/role/elb=1; place it in the private app subnets`,
      ),
    );
  });

  test("NET-4, K8S-1: prod's real node group in an app subnet whose route table now routes to the internet gateway is reported", async () => {
    const ev = await synthStack("prod");
    const group = record(ev, T.nodeGroup, "psi-prod-eks-nodes");
    const appA = record(ev, T.subnet, "psi-prod-network-app-a");
    const association = record(ev, T.association, "psi-prod-network-app-a");
    const publicRt = record(ev, T.routeTable, "psi-prod-network-public-rt");
    let mutated = editOutputs(ev, association.urn, (p) => ({ ...p, routeTableId: publicRt.id }));
    mutated = editDependencies(mutated, association.urn, "routeTableId", [publicRt.urn]);
    const igw = record(ev, "aws:ec2/internetGateway:InternetGateway", "psi-prod-network-igw");
    await expectOnly(publicWorkloads, mutated, "prod", group.urn, [
      `EKS node group (its pods) psi-prod-eks-nodes runs in public subnet psi-prod-network-app-a (${String(appA.id)}): its route table psi-prod-network-public-rt routes 0.0.0.0/0 to internet gateway ${String(igw.id)}; place it in the private app subnets`,
    ]);
  });

  test("NET-4: a subnet id the stack does not declare cannot be checked and is reported", async () => {
    const ev = await synthStack("myhibachi-prod");
    const service = record(ev, T.service, "myhibachi-prod-api-service");
    const mutated = editOutputs(ev, service.urn, (p) => {
      (p.networkConfiguration as Props).subnets = ["subnet-0123456789abcdef0"];
    });
    await expectOnly(publicWorkloads, mutated, "myhibachi-prod", service.urn, [
      "ECS service myhibachi-prod-api-service uses subnet subnet-0123456789abcdef0, which this stack does not declare: whether it is private cannot be checked",
    ]);
  });
});

describe("ECS-6: an autoscaled service whose desiredCount a deploy would reset fails ecs-service-require-ignored-desired-count", () => {
  test("ECS-6: myhibachi-prod's real service without ignoreChanges desiredCount is reported", async () => {
    const ev = await synthStack("myhibachi-prod");
    const service = record(ev, T.service, "myhibachi-prod-api-service");
    expect(service.ignoreChanges).toEqual(["desiredCount"]);
    const mutated = editRecord(ev, service.urn, (r) => ({ ...r, ignoreChanges: [] }));
    await expectOnly(ignoredDesiredCount, mutated, "myhibachi-prod", service.urn, [
      "ECS service myhibachi-prod-api-service is scaled by myhibachi-prod-api-scaling but desiredCount (3) is not in ignoreChanges: every pulumi up would reset the task count the scaler set",
    ]);
  });
});

describe("ECS-5, NET-3: a listener rule that forwards on the plain-HTTP listener fails lb-listenerrule-require-https-redirect", () => {
  const withRule = async (listenerName: string, action: Props) => {
    const ev = await synthStack("myhibachi-prod");
    const listener = record(ev, T.listener, listenerName);
    return addResource(ev, {
      type: T.listenerRule,
      name: "api-admin",
      inputs: {
        listenerArn: (ev.outputs.get(listener.urn) as Props).arn,
        priority: 10,
        actions: [action],
        conditions: [{ pathPattern: { values: ["/admin/*"] } }],
      },
      refs: { listenerArn: [listener.urn] },
    });
  };
  const forward = async () => {
    const ev = await synthStack("myhibachi-prod");
    const tg = record(ev, T.targetGroup, "myhibachi-prod-api-lb-tg");
    return { type: "forward", targetGroupArn: (ev.outputs.get(tg.urn) as Props).arn };
  };

  test("ECS-5/NET-3: a forwarding rule on the real HTTP listener is reported", async () => {
    const { ev, urn } = await withRule("myhibachi-prod-api-lb-http", await forward());
    await expectOnly(listenerRules, ev, "myhibachi-prod", urn, [
      "listener rule api-admin of plain-HTTP listener myhibachi-prod-api-lb-http: action 1 is forward: plain HTTP must only redirect to HTTPS",
    ]);
  });

  test("ECS-5: the same rule on the real HTTPS listener, and a redirecting rule on the HTTP one, pass", async () => {
    expect(
      await findings(
        listenerRules,
        (await withRule("myhibachi-prod-api-lb-https", await forward())).ev,
        "myhibachi-prod",
      ),
    ).toEqual([]);
    const redirect = {
      type: "redirect",
      redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
    };
    expect(
      await findings(
        listenerRules,
        (await withRule("myhibachi-prod-api-lb-http", redirect)).ev,
        "myhibachi-prod",
      ),
    ).toEqual([]);
  });
});

describe("ECS-8, K8S-10: wildcards on the pods' roles fail iam-role-forbid-pod-wildcard-permissions", () => {
  const WHO = "pod role psi-prod-backend-irsa (production/psi-prod-backend)";

  test("ECS-8: prod's real backend IRSA policy with s3:* and secrets on * is reported", async () => {
    const ev = await synthStack("prod");
    const policy = record(ev, T.rolePolicy, "psi-prod-backend-irsa");
    const mutated = editOutputs(ev, policy.urn, (p) => {
      const doc = JSON.parse(String(p.policy)) as { Statement: Props[] };
      doc.Statement.push(
        { Sid: "AnyS3", Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::psi-prod-images-4cb3ac7" },
        { Sid: "AnySecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" },
      );
      p.policy = JSON.stringify(doc);
    });
    await expectOnly(podWildcards, mutated, "prod", policy.urn, [
      `${WHO}: inline policy psi-prod-backend-irsa statement AnyS3 allows wildcard action s3:*`,
      `${WHO}: inline policy psi-prod-backend-irsa statement AnySecret allows secretsmanager:GetSecretValue on resource "*"; name the resources' ARNs`,
    ]);
  });

  test("K8S-10: prod's real backend IRSA trust without its sub condition is reported", async () => {
    const ev = await synthStack("prod");
    const role = record(ev, T.role, "psi-prod-backend-irsa");
    const mutated = editOutputs(ev, role.urn, (p) => {
      const doc = JSON.parse(String(p.assumeRolePolicy)) as { Statement: Props[] };
      const condition = (doc.Statement[0].Condition as { StringEquals: Props }).StringEquals;
      for (const key of Object.keys(condition)) if (key.endsWith(":sub")) delete condition[key];
      p.assumeRolePolicy = JSON.stringify(doc);
    });
    await expectOnly(podWildcards, mutated, "prod", role.urn, [
      `${WHO}: its trust policy has no <issuer>:sub condition: every service account of the cluster may assume it`,
    ]);
  });

  test("K8S-10: the VPC CNI's AWS-managed policy attached to the backend's role is reported; on aws-node it passes", async () => {
    const ev = await synthStack("prod");
    const cni = record(ev, T.attachment, "psi-prod-eks-AmazonEKS_CNI_Policy");
    const backend = record(ev, T.role, "psi-prod-backend-irsa");
    let mutated = editOutputs(ev, cni.urn, (p) => ({ ...p, role: backend.id }));
    mutated = editDependencies(mutated, cni.urn, "role", [backend.urn]);
    await expectOnly(podWildcards, mutated, "prod", cni.urn, [
      `${WHO}: managed policy arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy is not on allowedManagedPolicies for its service account; attach a policy the stack declares, scoped to the app's own resources`,
    ]);
  });
});

describe("K8S-1, POL-1: node volumes under the account's default EBS key fail ec2-launchtemplate-require-ebs-encryption", () => {
  test("K8S-1: prod's real node launch template without its kmsKeyId, and unencrypted, is reported", async () => {
    const ev = await synthStack("prod");
    const lt = record(ev, T.launchTemplate, "psi-prod-eks-nodes");
    const ebs = (p: Props) => (p.blockDeviceMappings as Props[])[0].ebs as Props;
    const defaultKey = editInputs(ev, lt.urn, (p) => void delete ebs(p).kmsKeyId);
    await expectOnly(ebsEncryption, defaultKey, "prod", lt.urn, [
      "volume /dev/xvda: ebs.kmsKeyId is not set: the account's default EBS key (aws/ebs) would be used; name a customer-managed key",
    ]);
    const plain = editInputs(ev, lt.urn, (p) => void (ebs(p).encrypted = "false"));
    await expectOnly(ebsEncryption, plain, "prod", lt.urn, [
      "volume /dev/xvda: ebs.encrypted is false; encrypt it",
    ]);
  });

  test("K8S-1: prod's real node volumes use the nodes' own key, which EC2 Auto Scaling may use", async () => {
    const ev = await synthStack("prod");
    const lt = record(ev, T.launchTemplate, "psi-prod-eks-nodes");
    const key = record(ev, "aws:kms/key:Key", "psi-prod-eks-nodes-key");
    const keyArn = (ev.outputs.get(key.urn) as Props).arn;
    expect(
      (ev.plainInputs.get(lt.urn) as { blockDeviceMappings: { ebs: Props }[] }).blockDeviceMappings[0].ebs
        .kmsKeyId,
    ).toBe(keyArn);
    const statements = (JSON.parse(String(key.inputs.policy)) as { Statement: Props[] }).Statement;
    expect(statements.map((s) => s.Sid)).toEqual([
      "AccountAdministersViaIam",
      "Ec2AutoScalingUsesKeyForVolumes",
      "Ec2AutoScalingAttachesVolumes",
    ]);
    expect(statements[2]).toEqual({
      Sid: "Ec2AutoScalingAttachesVolumes",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: "kms:CreateGrant",
      Resource: "*",
      Condition: {
        Bool: { "kms:GrantIsForAWSResource": "true" },
        StringEquals: { "kms:CallerAccount": "123456789012" },
        ArnEquals: {
          "aws:PrincipalArn":
            "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
        },
      },
    });
  });
});
