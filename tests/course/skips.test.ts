import { describe, expect, it } from 'vitest';
import { REPO, runCli } from '../cli/run.ts';

const plan = (deck: string) => runCli(['verify', '--plan', '--transcripts', `content/decks/${deck}.yml`], { cwd: REPO });

describe('what cannot run here says why (imported French decks)', () => {
  it('TP4: Docker, the private registry, the learner node address and the interactive pod session are skipped with a reason', async () => {
    const r = await plan('tp4-fr');
    expect(r.status).toBe(0);
    const out = r.stdout + r.stderr;
    for (const command of ['docker compose build', 'docker compose push', 'docker image push']) {
      const line = out.split('\n').findIndex((l) => l.includes(command));
      expect(line, command).toBeGreaterThan(0);
      const slide = out.split('\n').slice(0, line).reverse().find((l) => /^\s+slide \d+\/\d+/.test(l))!;
      expect(slide, command).toMatch(/\[skip: needs Docker and the course's private registry/);
    }
    expect(out).toMatch(/\[skip: needs the learner's node address \(172\.31\.20\.49\)[^\]]*never reaches an address outside this machine[^\]]*\]\n\s+fr\/tp4\/tp4\.md:\d+\s+\$ curl 172\.31\.20\.49:32328/);
    expect(out).toMatch(/\[skip: an interactive session inside the pod[^\]]*\]\n\s+fr\/tp4\/tp4\.md:\d+\s+\$ kubectl run -ti --rm --restart=Never --image=busybox busybox/);
    // Nothing is skipped any more because the verification cluster's nodes were simulated.
    expect(out).not.toMatch(/simulated/);
  });

  it('intro: minikube, kubectl proxy and the interactive pod session are skipped with a reason', async () => {
    const out = (await plan('intro-fr')).stdout;
    expect(out).toMatch(/\[skip: needs minikube[^\]]*\]\n\s+fr\/intro\/kubernetes\.md:\d+\s+\$ minikube start/);
    expect(out).toMatch(/\[skip: needs `kubectl proxy`[^\]]*\]\n\s+fr\/intro\/kubernetes\.md:\d+\s+\$ curl http:\/\/localhost:8001\/version/);
    expect(out).toMatch(/\[skip: the transcript runs inside the pod[^\]]*\]\n\s+fr\/intro\/kubernetes\.md:\d+\s+\$ curl localhost:8080/);
  });
});
