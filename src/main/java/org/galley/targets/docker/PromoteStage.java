package org.galley.targets.docker;

import org.galley.pipeline.Artifact;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.Stage;

/** Gives the verified candidate its release name and drops the candidate tag. */
final class PromoteStage implements Stage {
    private final DockerTarget target;
    private final CommitStage commit;

    PromoteStage(DockerTarget target, CommitStage commit) {
        this.target = target;
        this.commit = commit;
    }

    @Override
    public String name() {
        return "promote";
    }

    @Override
    public void run(BuildContext ctx) {
        Artifact candidate = ctx.artifact();
        String released = commit.releaseName();
        int colon = released.lastIndexOf(':');
        target.client().tagImageCmd(candidate.id(), released.substring(0, colon), released.substring(colon + 1))
                .withForce().exec();
        target.client().removeImageCmd(candidate.name()).exec();
        ctx.artifact(new Artifact(candidate.id(), released, candidate.labels()));
        ctx.ledger().kept(CommitStage.IMAGE, candidate.id());
        ctx.listener.info("promoted " + released);
    }
}
