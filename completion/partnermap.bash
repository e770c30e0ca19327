# bash completion for partnermap                              -*- shell-script -*-
#
# Installed as share/bash-completion/completions/partnermap, where
# bash-completion finds it; or source it from ~/.bashrc. It needs nothing
# but bash itself.

_partnermap()
{
	local cur=${COMP_WORDS[COMP_CWORD]}
	local prev=
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()
	# bash splits --site=DIR into --site, = and DIR
	if [[ $cur == = ]]; then
		cur=
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	fi

	# the command is the first word after partnermap that is not an option
	local cmd= i args=0
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-* | =) ;;
		*)
			if [[ -z $cmd ]]; then
				cmd=${COMP_WORDS[i]}
			else
				case ${COMP_WORDS[i - 1]} in
				-C | --site | -o | --output | -j | --jobs | --slug | --format | --report | \
				-p | --port | -b | --bind | =) ;;
				*) ((args++)) ;;
				esac
			fi
			;;
		esac
	done

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W '--help --version' -- "$cur"))
		else
			COMPREPLY=($(compgen -W 'build check serve new init schema' -- "$cur"))
		fi
		return 0
	fi

	# an option's value
	case $prev in
	-o | --output)
		compopt -o filenames 2>/dev/null
		if [[ $cmd == schema ]]; then
			COMPREPLY=($(compgen -f -- "$cur"))
		else
			COMPREPLY=($(compgen -d -- "$cur"))
		fi
		return 0
		;;
	-C | --site)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -d -- "$cur"))
		return 0
		;;
	-j | --jobs)
		COMPREPLY=($(compgen -W '1 2 4 8' -- "$cur"))
		return 0
		;;
	--format)
		COMPREPLY=($(compgen -W 'text github gitlab json' -- "$cur"))
		return 0
		;;
	--report)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		return 0
		;;
	--slug | -p | --port | -b | --bind)
		return 0
		;;
	esac

	local opts
	case $cmd in
	build) opts='-C --site -o --output -j --jobs --clean -q --quiet --strict --format --report -h --help' ;;
	check) opts='-C --site -q --quiet --strict --format --report --list-checks -h --help' ;;
	serve) opts='-C --site -p --port -b --bind -h --help' ;;
	new) opts='-C --site --slug -q --quiet -h --help' ;;
	init) opts='-q --quiet -h --help' ;;
	schema) opts='-o --output --markdown --front-matter-cms -h --help' ;;
	*) return 0 ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return 0
	fi
	case $cmd in
	new)
		# the kind first; the name is the editor's to type
		((args == 0)) && COMPREPLY=($(compgen -W 'institution network page' -- "$cur"))
		;;
	init)
		if ((args == 0)); then
			compopt -o filenames 2>/dev/null
			COMPREPLY=($(compgen -d -- "$cur"))
		fi
		;;
	schema)
		((args == 0)) && COMPREPLY=($(compgen -W 'institution network page site' -- "$cur"))
		;;
	esac
	return 0
}
complete -F _partnermap partnermap
