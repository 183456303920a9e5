/** Facts about ECS and ECR props several rules need. */
import { Props, asObject, isNonEmptyString, parseJson } from "./props";

export const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
export const ECS_SERVICE = "aws:ecs/service:Service";
export const ECR_REPOSITORY = "aws:ecr/repository:Repository";

export interface NamedContainer {
  readonly label: string;
  readonly container: Props;
}

/** The task definition's containers, from its `containerDefinitions` JSON (an unreadable one has none). */
export function containerDefinitions(props: Props): NamedContainer[] {
  const parsed = parseJson(props.containerDefinitions);
  return (Array.isArray(parsed) ? parsed : []).map((c, i) => {
    const container = asObject(c);
    const name = isNonEmptyString(container.name) ? container.name : `#${i + 1}`;
    return { label: `container ${name}`, container };
  });
}

/** ECS treats a container as essential unless it says otherwise. */
export function isEssential(container: Props): boolean {
  return container.essential !== false;
}
